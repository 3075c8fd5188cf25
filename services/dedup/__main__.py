"""``python -m services.dedup``: the dedup stage."""

from services.core.service import main_fenced
from services.dedup.handler import dedup_lease, dedup_stage

if __name__ == "__main__":
    main_fenced("dedup", dedup_stage, dedup_lease)
