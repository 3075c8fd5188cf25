"""``python -m services.parser``: the parser stage."""

from services.core.service import main
from services.parser.handler import parser_stage

if __name__ == "__main__":
    main("parser", parser_stage)
