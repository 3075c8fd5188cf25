"""``python -m services.store``: the store stage."""

from services.core.service import main
from services.store.handler import store_lease, store_stage

if __name__ == "__main__":
    main("store", store_stage, store_lease)
