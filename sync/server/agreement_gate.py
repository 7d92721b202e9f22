"""The dependency every resident-data route carries: the current 保密协议 accepted (403 otherwise)."""

from __future__ import annotations

from fastapi import Depends

from sync.server.agreement import agreement_required, current_version, has_accepted
from sync.server.deps import PrincipalDep, StateDep


def require_agreement(principal: PrincipalDep, state: StateDep) -> None:
    """The dependency of every resident-data route."""
    with state.db.read() as conn:
        version = current_version(conn)
        if version is not None and not has_accepted(conn, principal.user_id, version):
            raise agreement_required()


AgreementDep = Depends(require_agreement)
