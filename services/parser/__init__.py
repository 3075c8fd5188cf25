"""The parser service: raw articles in, parsed articles out.

Importing the package puts the compiled modules first when a build matching the
sources exists (:mod:`services.parser.native`).
"""

from services.parser.native import activate

activate(__path__)
