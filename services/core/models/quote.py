"""A direct quotation in an article's body, with the speaker it is attributed to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SpeakerKind = Literal["person", "organisation", "unnamed", "unknown"]


class Quote(BaseModel):
    """One direct quotation: a quote broken by its attribution is two, a quote running over
    several paragraphs is one per paragraph."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    text: str = Field(
        description="The quoted words exactly as in the paragraph, without their quotation marks."
    )
    speaker: str | None = Field(
        default=None,
        description="The fullest name the article gives for the person or organisation quoted "
        "(a pronoun, surname or role resolves to it), the article's own words for an unnamed "
        "source ('a spokesperson'), or null when the article does not say.",
    )
    speaker_kind: SpeakerKind = "unknown"
    cue: str | None = Field(
        default=None,
        description="The reporting verb or phrase that attributes the quote ('said', 'told "
        "reporters', 'according to'), as written.",
    )
    paragraph: int = Field(ge=0, description="Index of the paragraph in paragraphs.")
    start: int = Field(ge=0, description="Offset of the text's first character in the paragraph.")
    end: int = Field(ge=0, description="Offset just past the text's last character.")
