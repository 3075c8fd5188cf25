"""``python -m services.dedup``: the dedup stage."""

from services.core.service import main
from services.dedup.handler import dedup_lease, dedup_stage

if __name__ == "__main__":
    main("dedup", dedup_stage, dedup_lease)
