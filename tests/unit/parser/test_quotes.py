"""Direct quotations and their speakers, on short articles written for these tests (English,
German, French, Spanish, Italian, Portuguese, Russian, Ukrainian, Polish, Dutch, Chinese, Japanese)."""

from __future__ import annotations

from datetime import UTC, datetime

from services.core.models import Quote, RawArticle
from services.parser.parse import parse_article
from services.parser.quotes import extract_quotes


def _quotes(*paragraphs: str) -> list[tuple[str, str | None, str]]:
    """(text, speaker, speaker kind) of each quotation; every offset checked on the way."""
    found = extract_quotes(list(paragraphs))
    for quote in found:
        assert paragraphs[quote.paragraph][quote.start : quote.end] == quote.text
    return [(q.text, q.speaker, q.speaker_kind) for q in found]


def _speakers(*paragraphs: str) -> list[str | None]:
    return [speaker for _, speaker, _ in _quotes(*paragraphs)]


# What counts as a quotation


def test_five_words_or_more() -> None:
    assert _quotes(
        "The mayor called it “a good start” on Monday.",
        "“We will open the bridge in May,” the mayor said.",
    ) == [("We will open the bridge in May,", "the mayor", "unnamed")]


def test_titles_signs_and_nicknames_are_no_quotations() -> None:
    assert (
        _quotes(
            "She starred in a film called “The Night We Left the Harbour Behind”.",
            "Protesters held a sign that read “No more cuts to our public schools”.",
            "Her new album, “Songs From The Other Side Of Town”, is out on Friday.",
        )
        == []
    )


def test_straight_curly_and_single_marks() -> None:
    assert _quotes(
        '"We have done everything we could," Smith said.',
        "‘It is far too early to say,’ Jones said of the result.",
        "“It’s not over until it’s over,” Brown said.",
    ) == [
        ("We have done everything we could,", "Smith", "person"),
        ("It is far too early to say,", "Jones", "person"),
        ("It’s not over until it’s over,", "Brown", "person"),
    ]


def test_an_apostrophe_closes_no_quotation() -> None:
    assert _texts("In the ‘90s, he said, “the players’ union was far stronger than today.”") == [
        "the players’ union was far stronger than today."
    ]


def test_a_quotation_nested_in_another_stays_in_it() -> None:
    assert _texts("“She told me ‘never again’ and walked out of the room,” he said.") == [
        "She told me ‘never again’ and walked out of the room,"
    ]


def test_a_quotation_broken_by_its_attribution_is_two_with_one_speaker() -> None:
    assert _quotes(
        "Council leader Maria Lopez spoke after the vote.",
        "“We will win this fight,” she said, “whatever it takes us in the end.”",
    ) == [
        ("We will win this fight,", "Maria Lopez", "person"),
        ("whatever it takes us in the end.", "Maria Lopez", "person"),
    ]


def test_a_quotation_over_several_paragraphs_is_one_per_paragraph() -> None:
    assert _quotes(
        "“The river rose faster than anyone expected this year,” said engineer Tom Reid.",
        "“We moved the equipment twice before the water reached the road.",
        "“By morning the whole valley was under a metre of water,” he added.",
    ) == [
        ("The river rose faster than anyone expected this year,", "Tom Reid", "person"),
        ("We moved the equipment twice before the water reached the road.", "Tom Reid", "person"),
        ("By morning the whole valley was under a metre of water,", "Tom Reid", "person"),
    ]


def test_an_unclosed_mark_that_does_not_go_on_is_no_quotation() -> None:
    assert _quotes("He wrote “the whole thing was planned from the start", "The end.") == []


# Speakers


def test_surname_resolves_to_the_fullest_name_titles_dropped() -> None:
    assert _speakers(
        "Ukrainian President Volodymyr Zelenskyy spoke on Tuesday.",
        "“Russia has essentially rejected the full proposal,” Zelenskyy said.",
    ) == ["Volodymyr Zelenskyy"]


def test_inverted_verb_and_a_role_before_the_name() -> None:
    assert _speakers(
        "“He is starting to feel it a little bit again,” said Minnesota coach Bruce Boudreau."
    ) == ["Bruce Boudreau"]


def test_apposition_between_name_and_verb() -> None:
    assert _speakers(
        "“We have a need for more landers,” Steve Clarke, a deputy administrator at NASA, said."
    ) == ["Steve Clarke"]


def test_verb_and_colon_before_the_quotation() -> None:
    assert _speakers("Robertson, the commander, said: “We do not support forced relocations.”") == [
        "Robertson"
    ]


def test_according_to() -> None:
    assert _quotes(
        "According to a company spokesperson, “the inquiry is routine and we are cooperating.”"
    ) == [("the inquiry is routine and we are cooperating.", "a company spokesperson", "unnamed")]


def test_pronoun_resolves_to_the_subject_of_the_sentence_before() -> None:
    assert _speakers(
        "Wild defenseman Ryan Suter, who joked about Parise’s sticks, saw the frustration.",
        "“He’s used to scoring goals and getting points,” he said.",
    ) == ["Ryan Suter"]


def test_pronoun_skips_a_person_an_earlier_quotation_gave_another_pronoun() -> None:
    assert _speakers(
        "“I called a friend of mine in Scotland that night,” Mary Steenburgen said.",
        "Her son Charlie McDowell remembers it. “It was a trying time for all of us,” he said.",
        "Despite all that, the actress kept going. “I had been somebody who liked music,” she said.",
    ) == ["Mary Steenburgen", "Charlie McDowell", "Mary Steenburgen"]


def test_role_resolves_to_the_name_given_with_it() -> None:
    assert _speakers(
        "Bruce Boudreau, the Wild coach, praised the team.",
        "“Good things are going to happen if they believe it,” the coach said.",
    ) == ["Bruce Boudreau"]


def test_a_role_with_a_complement_resolves_by_its_head_noun() -> None:
    """ "the chair of the Federal Reserve" is a chair: the name the article gives a chair."""
    assert _speakers(
        "Fed chair Jerome Powell spoke on Tuesday.",
        "“We will keep rates where they are for now,” said the chair of the Federal Reserve.",
    ) == ["Jerome Powell"]


def test_an_unnamed_source_keeps_the_article_s_words_and_a_later_mention_too() -> None:
    assert _quotes(
        "“It is not entitled to any form of immunity at all,” said one legal expert.",
        "“He is vulnerable to extradition to the United States,” the expert warned.",
    ) == [
        ("It is not entitled to any form of immunity at all,", "one legal expert", "unnamed"),
        ("He is vulnerable to extradition to the United States,", "one legal expert", "unnamed"),
    ]


def test_an_unnamed_source_lends_no_name_to_the_one_it_mentions() -> None:
    """ "a lawyer for Trump" is no fuller name of Trump."""
    assert _quotes(
        "“We have nothing more to say about this,” said a lawyer for Trump.",
        "“The case against me is a total witch hunt,” Trump said.",
    ) == [
        ("We have nothing more to say about this,", "a lawyer for Trump", "unnamed"),
        ("The case against me is a total witch hunt,", "Trump", "person"),
    ]


def test_organisations() -> None:
    assert _quotes(
        "“Dialogue with Washington will continue next week,” the Kremlin said.",
        "“The results were below our own expectations,” Home Depot Inc said in a statement.",
    ) == [
        ("Dialogue with Washington will continue next week,", "Kremlin", "organisation"),
        ("The results were below our own expectations,", "Home Depot Inc", "organisation"),
    ]


def test_a_signed_line_after_a_testimonial() -> None:
    assert _speakers("“The show was great and the staff were very kind.”", "– Ann K.") == ["Ann K"]


def test_a_sentence_that_introduces_the_quotation() -> None:
    assert _speakers(
        "Buckley, who phoned in from Chicago, had a similar experience: “It was just that "
        "immediate feeling of this is the song.”"
    ) == ["Buckley"]


def test_a_quotation_nobody_is_named_for_is_unknown() -> None:
    assert _quotes("The poster on the wall was old. “Trust the process, it always works.”") == [
        ("Trust the process, it always works.", None, "unknown")
    ]


def test_the_cue_as_written() -> None:
    cues = [
        q.cue for q in extract_quotes(["“We did not talk about aid at all,” Trump told reporters."])
    ]
    assert cues == ["told reporters"]


# Other languages


def test_german() -> None:
    assert _quotes(
        "Bundeskanzler Olaf Scholz äußerte sich am Montag in Berlin.",
        "„Wir werden die Hilfe für die Ukraine fortsetzen“, sagte Scholz.",
        "»Das ist ein wichtiger Tag für unser ganzes Land«, sagte sie.",
        "„Die Lage bleibt weiterhin sehr angespannt“, so Müller.",
    ) == [
        ("Wir werden die Hilfe für die Ukraine fortsetzen", "Olaf Scholz", "person"),
        ("Das ist ein wichtiger Tag für unser ganzes Land", "Olaf Scholz", "person"),
        ("Die Lage bleibt weiterhin sehr angespannt", "Müller", "person"),
    ]


def test_french() -> None:
    assert _quotes(
        "La ministre Élisabeth Borne était à Lyon mardi.",
        "« Nous allons présenter le projet de loi en juin », a déclaré Borne.",
        "«Ce n’est pas une question de moyens mais de volonté», explique-t-elle.",
        "Selon le porte-parole du gouvernement, « la réforme sera votée avant l’été ».",
    ) == [
        ("Nous allons présenter le projet de loi en juin", "Élisabeth Borne", "person"),
        ("Ce n’est pas une question de moyens mais de volonté", "Élisabeth Borne", "person"),
        ("la réforme sera votée avant l’été", "le porte-parole du gouvernement", "unnamed"),
    ]


def test_a_german_role_is_capitalised_and_still_no_name() -> None:
    assert _quotes(
        "„Das ist ein guter Tag für die Stadt und ihre Bürger“, sagte der Bürgermeister.",
        "„Wir prüfen den Vorfall sehr genau und sorgfältig“, sagte die Sprecherin.",
    ) == [
        ("Das ist ein guter Tag für die Stadt und ihre Bürger", "der Bürgermeister", "unnamed"),
        ("Wir prüfen den Vorfall sehr genau und sorgfältig", "die Sprecherin", "unnamed"),
    ]


def test_a_german_article_before_a_title_and_a_name() -> None:
    """ "der" opens the phrase, it does not end it: "der Bürgermeister Peter Kurz" is Peter
    Kurz (it gave no speaker), his title dropped as "Präsident" is."""
    assert _quotes(
        "„Wir werden die Straße im Frühjahr sanieren“, sagte der Bürgermeister Peter Kurz.",
        "„Die Arbeiten beginnen schon im nächsten März“, sagte Oberbürgermeisterin Eva Lang.",
    ) == [
        ("Wir werden die Straße im Frühjahr sanieren", "Peter Kurz", "person"),
        ("Die Arbeiten beginnen schon im nächsten März", "Eva Lang", "person"),
    ]


def test_a_definite_article_opens_a_role_with_its_complement() -> None:
    """A name is looked for before the complement only: "die Sprecherin der Polizei" is no
    person "Sprecherin", "le maire de Paris" no person "Paris"."""
    assert _quotes(
        "„Wir werden den Fall sehr genau prüfen“, sagte die Sprecherin der Polizei.",
        "« Nous allons rénover la rue au printemps », a déclaré le maire de Paris.",
        "“We will repair the street by next spring,” said the head of the Federal Reserve.",
    ) == [
        ("Wir werden den Fall sehr genau prüfen", "die Sprecherin der Polizei", "unnamed"),
        ("Nous allons rénover la rue au printemps", "le maire de Paris", "unnamed"),
        (
            "We will repair the street by next spring,",
            "the head of the Federal Reserve",
            "unnamed",
        ),
    ]


def test_a_french_auxiliary_is_no_indefinite_article() -> None:
    """ "a" before a past participle is the verb "avoir": "a déclaré le maire" introduces no
    unnamed source "a … maire"; the source is the role after the verb."""
    assert _quotes(
        "« Nous allons reconstruire le port pour les pêcheurs », a déclaré le maire.",
        "« Les travaux commenceront au printemps prochain », a dit la présidente.",
    ) == [
        ("Nous allons reconstruire le port pour les pêcheurs", "le maire", "unnamed"),
        ("Les travaux commenceront au printemps prochain", "la présidente", "unnamed"),
    ]


def test_an_unnamed_source_ends_where_a_time_phrase_starts() -> None:
    """ "le maire lors de la séance": the source is "le maire", in every language read."""
    assert _quotes(
        "« Nous construirons ce pont avant le printemps prochain », a déclaré le maire lors de la séance.",
        "„Wir werden die Brücke bis zum Frühjahr fertig bauen“, sagte die Sprecherin während der Sitzung.",
        "«Vamos a terminar el puente antes de la primavera», dijo el alcalde durante la sesión.",
        "“We will finish the bridge before next spring,” said the mayor during the meeting.",
    ) == [
        ("Nous construirons ce pont avant le printemps prochain", "le maire", "unnamed"),
        ("Wir werden die Brücke bis zum Frühjahr fertig bauen", "die Sprecherin", "unnamed"),
        ("Vamos a terminar el puente antes de la primavera", "el alcalde", "unnamed"),
        ("We will finish the bridge before next spring,", "the mayor", "unnamed"),
    ]


def test_an_indefinite_article_opens_an_unnamed_source_with_its_complement() -> None:
    """ "ein Sprecher der Stadt" is no person "Sprecher": the indefinite article opens an
    unnamed source, and the complement after its noun is part of it, in every language."""
    assert _quotes(
        "„Wir werden die Straße im Frühjahr sanieren“, sagte ein Sprecher der Stadt.",
        "« Nous allons rénover la rue au printemps », a déclaré un porte-parole de la mairie.",
        "«Vamos a reparar la calle en primavera», dijo un portavoz del Ayuntamiento de Madrid.",
        "«Ripareremo la strada entro la primavera», ha detto un portavoce del comune.",
        "“Vamos consertar a rua até a primavera”, disse um porta-voz da prefeitura.",
        "“We will repair the street by next spring,” said a spokesman for the City of Boston.",
        "Ein Sprecher der Stadt sagte: „Die Arbeiten beginnen schon im nächsten März.“",
    ) == [
        ("Wir werden die Straße im Frühjahr sanieren", "ein Sprecher der Stadt", "unnamed"),
        ("Nous allons rénover la rue au printemps", "un porte-parole de la mairie", "unnamed"),
        (
            "Vamos a reparar la calle en primavera",
            "un portavoz del Ayuntamiento de Madrid",
            "unnamed",
        ),
        ("Ripareremo la strada entro la primavera", "un portavoce del comune", "unnamed"),
        ("Vamos consertar a rua até a primavera", "um porta-voz da prefeitura", "unnamed"),
        (
            "We will repair the street by next spring,",
            "a spokesman for the City of Boston",
            "unnamed",
        ),
        ("Die Arbeiten beginnen schon im nächsten März.", "Ein Sprecher der Stadt", "unnamed"),
    ]


def test_spanish() -> None:
    assert _quotes(
        "El presidente Pedro Sánchez habló en Madrid.",
        "«Vamos a aprobar los presupuestos antes del verano», dijo Sánchez.",
        "“No hay ninguna razón para retrasar la votación”, afirmó un portavoz del partido.",
    ) == [
        ("Vamos a aprobar los presupuestos antes del verano", "Pedro Sánchez", "person"),
        ("No hay ninguna razón para retrasar la votación", "un portavoz del partido", "unnamed"),
    ]


def test_italian() -> None:
    assert _quotes(
        "Il sindaco Roberto Gualtieri ha parlato in Campidoglio.",
        "«Questa è una giornata importante per tutta la città», ha detto Gualtieri.",
        "Secondo Gualtieri, «i lavori finiranno entro la fine dell’anno».",
    ) == [
        ("Questa è una giornata importante per tutta la città", "Roberto Gualtieri", "person"),
        ("i lavori finiranno entro la fine dell’anno", "Roberto Gualtieri", "person"),
    ]


def test_portuguese() -> None:
    assert _quotes(
        "O ministro Fernando Haddad falou em Brasília.",
        "“Vamos apresentar a proposta ao Congresso na próxima semana”, disse Haddad.",
        "“A inflação está sob controle e deve cair ainda mais”, afirmou ele.",
    ) == [
        ("Vamos apresentar a proposta ao Congresso na próxima semana", "Fernando Haddad", "person"),
        ("A inflação está sob controle e deve cair ainda mais", "Fernando Haddad", "person"),
    ]


def test_russian_dash_after_the_guillemets() -> None:
    # Russian puts the attribution after the closing guillemet, a comma and a dash, the verb
    # before its subject: "«…», — сказал мэр города Иван Петров."
    assert _quotes(
        "«Мы построим этот мост до следующей весны, чего бы это ни стоило», — сказал мэр "
        "города Иван Петров.",
        "Глава администрации Ольга Смирнова посетила стройку во вторник.",
        "«Работы идут строго по графику и без каких-либо задержек», — сказала она.",
        "«Денег на ремонт дорог хватит всем районам нашего города», — заявил Петров.",
    ) == [
        (
            "Мы построим этот мост до следующей весны, чего бы это ни стоило",
            "Иван Петров",
            "person",
        ),
        ("Работы идут строго по графику и без каких-либо задержек", "Ольга Смирнова", "person"),
        ("Денег на ремонт дорог хватит всем районам нашего города", "Иван Петров", "person"),
    ]


def test_russian_pronoun_and_according_to() -> None:
    assert _quotes(
        "Министр финансов Антон Силуанов выступил в Госдуме в среду.",
        "«Бюджет будет исполнен в полном объёме и в срок», — подчеркнул Силуанов.",
        "Председатель комитета Анна Кузнецова с этим не согласилась.",
        "«Дефицит бюджета в этом году окажется больше прогноза», — считает она.",
        "Тем временем в области продолжались лесные пожары.",
        "По данным МЧС, «огонь удалось локализовать к утру во всех районах».",
    ) == [
        ("Бюджет будет исполнен в полном объёме и в срок", "Антон Силуанов", "person"),
        ("Дефицит бюджета в этом году окажется больше прогноза", "Анна Кузнецова", "person"),
        ("огонь удалось локализовать к утру во всех районах", "МЧС", "organisation"),
    ]


def test_a_russian_role_after_the_verb_has_no_article() -> None:
    # Russian has no articles: the words after the verb are the role or the unnamed source
    # themselves; a place or a document ("в заявлении") is neither.
    assert _quotes(
        "Мэр города Иван Петров открыл новую школу в понедельник.",
        "«Решение о строительстве будет принято до конца года», — говорится в заявлении.",
        "В областном правительстве обсуждают другие планы.",
        "«Мы не будем поднимать тарифы в этом году», — отметил мэр города.",
        "«Денег на второй мост в бюджете пока нет», — сообщил источник в правительстве.",
    ) == [
        ("Решение о строительстве будет принято до конца года", None, "unknown"),
        ("Мы не будем поднимать тарифы в этом году", "Иван Петров", "person"),
        ("Денег на второй мост в бюджете пока нет", "источник в правительстве", "unnamed"),
    ]


def test_a_russian_or_ukrainian_title_before_a_name_is_dropped() -> None:
    assert _speakers(
        "Губернатор Алексей Дюмин заявил: «Все дороги области отремонтируют к следующему лету».",
        "Президент Володимир Зеленський сказав: «Ми продовжимо відновлення всіх зруйнованих мостів».",
    ) == ["Алексей Дюмин", "Володимир Зеленський"]


def test_a_russian_hyphenated_role_and_a_sentence_opening_with_kak() -> None:
    assert _speakers(
        "Вице-премьер Марат Хуснуллин поддержал проект нового моста.",
        "«Федеральный центр выделит дополнительные средства на проект», — заявил вице-премьер.",
        "Как рассказала пресс-секретарь мэрии Анна Соколова, «проект уже прошёл экспертизу "
        "полностью».",
    ) == ["Марат Хуснуллин", "Анна Соколова"]


def test_a_name_in_the_genitive_after_according_to_is_the_one_the_article_gives() -> None:
    # "по словам", "за словами", "według" take the genitive: "Ольги Смирновой" is the
    # "Ольга Смирнова" the article named.
    assert _speakers(
        "Глава администрации Ольга Смирнова посетила стройку во вторник.",
        "По словам Ольги Смирновой, «новый мост выдержит любую нагрузку и любые морозы».",
        "Министр Антон Силуанов тоже выступил.",
        "По словам Силуанова, «денег на строительство хватит до конца следующего года».",
        "We wtorek budowę odwiedził prezydent stolicy Rafał Trzaskowski.",
        "Według Trzaskowskiego „prace idą zgodnie z harmonogramem i bez opóźnień”.",
    ) == ["Ольга Смирнова", "Антон Силуанов", "Rafał Trzaskowski"]


def test_ukrainian() -> None:
    assert _quotes(
        "«Ми відбудуємо цей міст до наступної весни за будь-яку ціну», — сказав міський "
        "голова Олег Коваленко.",
        "Заступниця голови Ірина Бондар відвідала будівництво у вівторок.",
        "«Роботи тривають за графіком і без жодних затримок», — зазначила вона.",
        "Тим часом в області тривали лісові пожежі.",
        "За даними ДСНС, «вогонь вдалося локалізувати до ранку в усіх районах».",
    ) == [
        ("Ми відбудуємо цей міст до наступної весни за будь-яку ціну", "Олег Коваленко", "person"),
        ("Роботи тривають за графіком і без жодних затримок", "Ірина Бондар", "person"),
        ("вогонь вдалося локалізувати до ранку в усіх районах", "ДСНС", "organisation"),
    ]


def test_polish() -> None:
    # Polish opens with „ and closes with ”, and puts a dash before an inverted verb.
    assert _quotes(
        "„Nie podniesiemy podatków w przyszłym roku” – powiedział minister finansów Andrzej "
        "Domański.",
        "We wtorek budowę odwiedził prezydent stolicy Rafał Trzaskowski.",
        "„Prace idą zgodnie z harmonogramem i bez żadnych opóźnień” – podkreślił Trzaskowski.",
        "Tymczasem w ratuszu trwały rozmowy.",
        "„To była bardzo trudna decyzja dla całego zarządu” – mówi Kowalska.",
        "Pani Anna Nowak z zarządu dróg odwiedziła plac budowy w środę.",
        "„Nie zgadzamy się na takie zmiany w budżecie miasta” – napisała ona w oświadczeniu.",
        "Według GUS „inflacja w listopadzie spadła do najniższego poziomu od lat”.",
    ) == [
        ("Nie podniesiemy podatków w przyszłym roku", "Andrzej Domański", "person"),
        ("Prace idą zgodnie z harmonogramem i bez żadnych opóźnień", "Rafał Trzaskowski", "person"),
        ("To była bardzo trudna decyzja dla całego zarządu", "Kowalska", "person"),
        ("Nie zgadzamy się na takie zmiany w budżecie miasta", "Anna Nowak", "person"),
        ("inflacja w listopadzie spadła do najniższego poziomu od lat", "GUS", "organisation"),
    ]


def test_dutch() -> None:
    assert _quotes(
        "“We gaan de brug volgend voorjaar openen, wat het ook kost”, zei burgemeester Femke "
        "Halsema.",
        "Wethouder Pieter Jansen bezocht dinsdag de bouwplaats.",
        "“De werkzaamheden liggen precies op schema en binnen budget”, aldus Jansen.",
        "“Dit is een belangrijke dag voor de hele stad”, zegt hij.",
        "Op het stadhuis werd intussen vergaderd.",
        "“De kosten vallen hoger uit dan eerder werd gedacht”, zei een woordvoerder van de "
        "gemeente donderdag.",
        "In de raad was het rumoerig.",
        "“We hebben nog geen besluit genomen over de tarieven”, voegde de burgemeester eraan toe.",
    ) == [
        ("We gaan de brug volgend voorjaar openen, wat het ook kost", "Femke Halsema", "person"),
        ("De werkzaamheden liggen precies op schema en binnen budget", "Pieter Jansen", "person"),
        ("Dit is een belangrijke dag voor de hele stad", "Pieter Jansen", "person"),
        (
            "De kosten vallen hoger uit dan eerder werd gedacht",
            "een woordvoerder van de gemeente",
            "unnamed",
        ),
        ("We hebben nog geen besluit genomen over de tarieven", "Femke Halsema", "person"),
    ]


def test_dutch_according_to() -> None:
    assert _speakers(
        "Volgens de politie “was de bestuurder onder invloed van alcohol en drugs”.",
    ) == ["de politie"]


def test_dutch_de_is_still_a_preposition_in_french_and_spanish() -> None:
    assert _speakers(
        "« Nous allons présenter le projet de loi en juin », a déclaré de son côté le ministre.",
        "Le débat a duré toute la nuit.",
        "Una reunión se celebró en Madrid.",
        "«Vamos a aprobar los presupuestos antes del verano», dijo de nuevo la ministra.",
    ) == ["le ministre", "la ministra"]


def test_japanese_speaker_between_to_and_the_reporting_verb() -> None:
    """Japanese is written without spaces or capitals: the speaker is the phrase between
    「…」と and the reporting verb, its particle and honorific dropped, its title kept apart
    from the name; with none there, the subject of the sentence or the one before."""
    quote = "この計画は来年の春までに必ず完成させる"
    assert _quotes(f"「{quote}」と知事は述べた。") == [(quote, "知事", "unnamed")]
    assert _quotes(f"「{quote}」と山田太郎知事は語った。") == [(quote, "山田太郎", "person")]
    assert _quotes(f"「{quote}」と、トランプ氏が記者団に語った。") == [
        (quote, "トランプ", "person")
    ]
    assert _quotes("山田太郎知事が会見を開いた。", f"「{quote}」と述べた。") == [
        (quote, "山田太郎", "person")
    ]
    assert _quotes("東京都の山田太郎知事が会見を開いた。", f"「{quote}」と知事は述べた。") == [
        (quote, "山田太郎", "person")
    ]
    assert _quotes(f"「{quote}」と東京都の担当者は説明しました。") == [
        (quote, "東京都の担当者", "unnamed")
    ]
    assert _quotes(f"記者会見が開かれた。「{quote}」と述べた。") == [(quote, None, "unknown")]
    cues = [q.cue for q in extract_quotes([f"「{quote}」と知事は述べた。"])]
    assert cues == ["述べた"]


def test_chinese_speaker_beside_the_reporting_verb() -> None:
    quote = "这个计划明年春天之前一定会完成。"
    assert _quotes(f"张伟表示，“{quote}”") == [(quote, "张伟", "person")]
    assert _quotes(f"“{quote}”张伟说。") == [(quote, "张伟", "person")]
    assert _quotes(f"市长张伟昨天表示：“{quote}”") == [(quote, "张伟", "person")]
    assert _quotes(f"外交部发言人指出，“{quote}”") == [(quote, "外交部发言人", "unnamed")]


def test_corner_brackets_count_han_characters_as_words() -> None:
    assert _texts("市长在会上说：「我们将在五月开放新桥」。", "他说「好」。") == [
        "我们将在五月开放新桥"
    ]


# In the parse


def test_parse_article_carries_the_quotations_of_plain_text_and_html() -> None:
    received = datetime(2025, 3, 19, tzinfo=UTC)
    text = "Talks in Geneva\n\n“We will keep talking as long as it takes,” the mediator said.\n"
    page = (
        "<html><body><article><h1>Talks in Geneva</h1><p>The mediator spoke to reporters on "
        "Monday in Geneva after the first round of talks had ended.</p><p>“We will keep talking "
        "as long as it takes,” the mediator said after a long day of meetings.</p></article>"
        "</body></html>"
    )
    for content, kind in ((text, "text/plain"), (page, "text/html")):
        raw = RawArticle(
            id="a1", id_source="client", content=content, content_type=kind, received_at=received
        )
        parsed = parse_article(raw)
        assert parsed.quotes == [
            Quote(
                text="We will keep talking as long as it takes,",
                speaker="the mediator",
                speaker_kind="unnamed",
                cue="said",
                paragraph=parsed.quotes[0].paragraph,
                start=1,
                end=42,
            )
        ], kind


def _texts(*paragraphs: str) -> list[str]:
    return [text for text, _, _ in _quotes(*paragraphs)]


def test_a_word_opening_the_introducing_sentence_is_no_name_by_itself() -> None:
    """A capitalised word where the introducing sentence opens names no one unless the
    article shows it as a name elsewhere: a fuller name, or capitalised inside a sentence."""
    assert _speakers(
        "No Brasil isso não é comum. Quando você fala sobre fluência, o pessoal estranha: "
        "“Que história é essa de que uma criança deve ler tanto?”"
    ) == [None]
    assert _speakers("Мой девиз: «Надо любить то, что делаешь, и делать то, что любишь».") == [None]
    assert _speakers(
        "We met Benni after the show in the old hall.",
        "Benni explained: “We had no idea how many people would come tonight.”",
    ) == ["Benni"]
    assert _speakers(
        "Mayor Anna Kowalski opened the bridge on Monday.",
        "Kowalski was proud: “This bridge will serve the city for a century.”",
    ) == ["Anna Kowalski"]


def test_the_day_after_the_speakers_name_is_no_part_of_it() -> None:
    assert _speakers(
        "„Das ist ein außergewöhnlicher Fund für die Region“, sagte Anna Müller am Montag.",
        "« Nous allons présenter le projet de loi en juin », a déclaré Borne le mardi.",
    ) == ["Anna Müller", "Borne"]
