"""Pure-Python name screening: normalise, retrieve candidates, score with explanations.

    from portcullis.screening.matching import Entity, NameIndex, Subject, screen

    index = NameIndex.build(entities)            # any iterable of Entity
    index.save(directory); index = NameIndex.load(directory)   # one mapped copy per machine
    for match in screen(index, Subject(name="Sergey Lavrov", birth_dates=("1950",))):
        print(match.score, match.entity.entity_id, [f.explanation for f in match.features])

No Django imports here: the app layer maps its rows to `Entity`/`Subject`.
"""

# The imports below follow a statement: mypyc's build of the scoring modules, when it is current,
# must be on the package's path before they load (see `native`).
# ruff: noqa: E402
from .native import compiled_path

__path__[:0] = compiled_path()

from .algorithms import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    Algorithm,
    Feature,
    Score,
    get_algorithm,
    prepare_entity,
    prepare_subject,
)
from .index import Candidate, NameIndex, Where, code_version
from .model import Entity, EntityType, Identifier, Subject
from .normalise import NameForm, normalise_name
from .screen import Match, ScreeningTimeoutError, screen, screen_many

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "Algorithm",
    "Candidate",
    "Entity",
    "EntityType",
    "Feature",
    "Identifier",
    "Match",
    "NameForm",
    "NameIndex",
    "Score",
    "ScreeningTimeoutError",
    "Subject",
    "Where",
    "code_version",
    "get_algorithm",
    "normalise_name",
    "prepare_entity",
    "prepare_subject",
    "screen",
    "screen_many",
]
