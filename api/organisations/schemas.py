"""Wire shape of an organisation where it differs from the core record: the people contact goes
out grouped under ``contact`` and to authenticated callers only (the core record keeps
``contact_name``/``contact_email``/``contact_phone`` flat, as the event log does)."""

from __future__ import annotations

from api.schemas import with_grouped_contact
from efa_registry.organisations import model

Organisation = with_grouped_contact(model.Organisation, module=__name__, doc=(
    "An organisation; `contact` appears only for authenticated callers."))
