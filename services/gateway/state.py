"""What the gateway's routes share: the database, the status poller, the article index, the
process roster."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from fastapi import Request

from services.gateway.database import LazyReader
from services.gateway.follower import ArticleFollower
from services.gateway.poller import StatusPoller
from services.gateway.roster import ProcessRoster
from services.gateway.stream import StreamTiming
from services.gateway.tracker import ArticleIndex


@dataclass(slots=True)
class Gateway:
    db: LazyReader
    poller: StatusPoller
    index: ArticleIndex
    follower: ArticleFollower
    roster: ProcessRoster
    backlog: int
    closing: asyncio.Event = field(default_factory=asyncio.Event)
    timing: StreamTiming = field(default_factory=StreamTiming)


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway
