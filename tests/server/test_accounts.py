"""Accounts: names that ignore case, a reset password that must be changed, disabling with a reason,
end dates that stop an account by themselves, and the audit entries of all of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from sync.protocol import utc_now
from sync.server import tables as t
from sync.server.db import make_engine
from tests.server.accounts_live import own
from tests.server.conftest import GRIDS, PASSWORD, Api

__all__ = ["own"]


def new_worker(api: Api, username: str, grid: str = GRIDS[1], **extra: Any) -> dict[str, Any]:
    r = api.post("/users", "admin", json={"username": username, "display_name": "测试员", "role": "worker",
                                          "password": PASSWORD, "areas": [grid], **extra})
    assert r.status_code == 201, r.text
    return dict(r.json())


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def audit_actions(api: Api, target: str) -> list[str]:
    engine = make_engine(api.live.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.audit_log.c.action).where(t.audit_log.c.target == target)
                            .order_by(t.audit_log.c.id)).all()
    engine.dispose()
    return [r[0] for r in rows]


def test_usernames_ignore_case_at_login_and_creation(own: Api) -> None:
    new_worker(own, "Zhang.Wei")
    r = own.login("zhang.wei")
    assert r.status_code == 200, r.text
    assert r.json()["user"]["username"] == "Zhang.Wei"
    assert own.login("ZHANG.WEI").status_code == 200
    dup = own.post("/users", "admin", json={"username": "ZHANG.wei", "display_name": "x", "role": "worker",
                                            "password": PASSWORD, "areas": [GRIDS[1]]})
    assert dup.status_code == 409
    assert own.login("zhang.wei", "wrong-password").status_code == 401


def test_login_records_the_time_and_the_user_list_shows_it(own: Api) -> None:
    new_worker(own, "wg_seen")
    before = {u["username"]: u for u in own.get("/users", "admin").json()["items"]}["wg_seen"]
    assert before["last_login_at"] is None and before["must_change_password"] is False
    body = own.login("wg_seen").json()
    assert body["must_change_password"] is False
    assert body["agreement"] == {"version": None, "required": False, "accepted": True}
    after = {u["username"]: u for u in own.get("/users", "admin").json()["items"]}["wg_seen"]
    assert after["last_login_at"] is not None and after["last_sync_at"] is None


def test_reset_password_forces_a_change_before_anything_else(own: Api) -> None:
    user = new_worker(own, "wg_reset")
    old = own.login("wg_reset").json()
    r = own.post(f"/users/{user['id']}/reset-password", "admin")
    assert r.status_code == 200, r.text
    temporary = r.json()["password"]
    assert len(temporary) >= 8 and r.json()["user"]["must_change_password"] is True
    assert own.http.get("/me", headers=bearer(old["access_token"])).status_code == 401  # sessions ended
    assert own.login("wg_reset", PASSWORD).status_code == 401
    login = own.login("wg_reset", temporary)
    assert login.status_code == 200 and login.json()["must_change_password"] is True
    auth = bearer(login.json()["access_token"])
    blocked = own.http.get("/changes", headers=auth)
    assert blocked.status_code == 403 and blocked.json()["code"] == "password_change_required"
    assert blocked.json()["details"]["message_en"]
    assert own.http.get("/templates", headers=auth).json()["code"] == "password_change_required"
    assert own.http.get("/me", headers=auth).status_code == 200
    # the policy: at least 8 characters, not the user name, the old password right
    for old_pw, new_pw, status in ((temporary, "short", 422), (temporary, "WG_RESET", 422),
                                   ("not-it-at-all", "a-good-passphrase", 403)):
        bad = own.http.post("/auth/password", headers=auth, json={"old_password": old_pw, "new_password": new_pw})
        assert bad.status_code == status, bad.text
    done = own.http.post("/auth/password", headers=auth,
                         json={"old_password": temporary, "new_password": "a-good-passphrase"})
    assert done.status_code == 200, done.text
    assert own.http.get("/changes", headers=auth).status_code == 200
    assert own.login("wg_reset", "a-good-passphrase").json()["must_change_password"] is False
    assert own.http.post("/auth/logout", headers=auth).status_code == 200
    assert audit_actions(own, "wg_reset") == ["user_create", "password_reset", "password_change"]


def test_changing_the_password_ends_the_other_sessions(own: Api) -> None:
    new_worker(own, "wg_two_pcs")
    first = bearer(own.login("wg_two_pcs", device="pc-1").json()["access_token"])
    second = bearer(own.login("wg_two_pcs", device="pc-2").json()["access_token"])
    r = own.http.post("/auth/password", headers=first, json={"old_password": PASSWORD, "new_password": "second-pass-9"})
    assert r.status_code == 200, r.text
    assert own.http.get("/me", headers=first).status_code == 200
    assert own.http.get("/me", headers=second).status_code == 401


def test_disable_with_a_reason_and_enable_again(own: Api) -> None:
    user = new_worker(own, "wg_pause")
    token = own.login("wg_pause").json()["access_token"]
    r = own.post(f"/users/{user['id']}/disable", "admin", json={"reason": "产假"})
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False and r.json()["disabled_reason"] == "产假"
    assert own.http.get("/me", headers=bearer(token)).status_code == 401
    assert own.login("wg_pause").status_code == 401
    again = own.post(f"/users/{user['id']}/enable", "admin")
    assert again.json()["active"] is True and again.json()["disabled_reason"] is None
    assert own.login("wg_pause").status_code == 200
    assert own.post(f"/users/{user['id']}/disable", "wg_qbm_1", json={"reason": "x"}).status_code == 403
    assert own.post(f"/users/{user['id']}/disable", "admin2", json={"reason": "x"}).status_code == 404
    me = own.get("/me", "admin").json()
    assert own.post(f"/users/{me['id']}/disable", "admin", json={"reason": "x"}).status_code == 422
    entries = audit_actions(own, "wg_pause")
    assert entries == ["user_create", "user_disable", "user_enable"]


def test_edit_name_end_date_and_third_party(own: Api) -> None:
    user = new_worker(own, "wg_contract", third_party=True, end_date="2099-12-31")
    assert user["third_party"] is True and user["end_date"] == "2099-12-31"
    r = own.patch(f"/users/{user['id']}", "admin", json={"display_name": "合同工", "end_date": "", "third_party": False})
    assert r.status_code == 200, r.text
    assert r.json()["end_date"] is None and r.json()["third_party"] is False and r.json()["display_name"] == "合同工"
    bad = own.patch(f"/users/{user['id']}", "admin", json={"end_date": "2026-02-30"})
    assert bad.status_code == 422 and bad.json()["details"]["errors"][0]["loc"] == ["body", "end_date"]
    assert audit_actions(own, "wg_contract") == ["user_create", "user_update"]


def test_created_without_a_password_gets_one_generated_once(own: Api) -> None:
    r = own.post("/users", "admin", json={"username": "wg_fresh", "display_name": "新人", "role": "worker",
                                          "areas": [GRIDS[0]]})
    assert r.status_code == 201, r.text
    password = r.json()["password"]
    assert r.json()["must_change_password"] is True
    assert "password" not in {k for u in own.get("/users", "admin").json()["items"] for k in u}
    assert own.login("wg_fresh", password).json()["must_change_password"] is True


def test_an_account_past_its_end_date_stops_by_itself(own: Api) -> None:
    user = new_worker(own, "wg_temp", end_date=utc_now().date().isoformat(), third_party=True)
    session = own.login("wg_temp").json()  # the last day still works
    auth = bearer(session["access_token"])
    assert own.http.get("/me", headers=auth).status_code == 200
    engine = make_engine(own.live.db_url)
    with engine.begin() as conn:  # the day passes
        conn.execute(sa.update(t.users).where(t.users.c.id == user["id"])
                     .values(end_date=(utc_now().date() - timedelta(days=1)).isoformat()))
    engine.dispose()
    r = own.http.get("/changes", headers=auth)  # the old access token is refused at once
    assert r.status_code == 403 and r.json()["code"] == "account_expired"
    assert "end date" in r.json()["details"]["message_en"] and r.json()["message"]
    refresh = own.http.post("/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert refresh.status_code == 403 and refresh.json()["code"] == "account_expired"
    login = own.login("wg_temp")
    assert login.status_code == 403 and login.json()["code"] == "account_expired"
    assert own.login("wg_temp", "wrong-password").status_code == 401  # no hint without the password
    listed = {u["username"]: u for u in own.get("/users", "admin").json()["items"]}["wg_temp"]
    assert listed["active"] is False and listed["disabled_reason"] == "expired"
    assert audit_actions(own, "wg_temp").count("user_disable") == 1


def test_the_user_list_disables_accounts_past_their_end_date(own: Api) -> None:
    user = new_worker(own, "wg_gone")
    engine = make_engine(own.live.db_url)
    with engine.begin() as conn:
        conn.execute(sa.update(t.users).where(t.users.c.id == user["id"]).values(end_date="2020-01-31"))
    engine.dispose()
    listed = {u["username"]: u for u in own.get("/users", "admin").json()["items"]}["wg_gone"]
    assert listed["active"] is False and listed["disabled_reason"] == "expired"


def test_account_review_finds_idle_inactive_multi_device_and_departed_users(own: Api) -> None:
    idle = new_worker(own, "wg_idle", grid=GRIDS[2])
    never = new_worker(own, "wg_never", grid=GRIDS[2])
    busy = new_worker(own, "wg_two_laptops", grid=GRIDS[3])
    left = new_worker(own, "wg_left", grid=GRIDS[3])
    own.login("wg_two_laptops")
    now = utc_now()
    engine = make_engine(own.live.db_url)
    with engine.begin() as conn:
        users = t.users.c
        conn.execute(sa.update(t.users).where(users.id == idle["id"])
                     .values(last_login_at=now - timedelta(days=120), created_at=now - timedelta(days=400)))
        conn.execute(sa.update(t.users).where(users.id == never["id"]).values(created_at=now - timedelta(days=400)))
        conn.execute(sa.update(t.users).where(users.id == busy["id"]).values(last_sync_at=now))
        for n in (1, 2):
            conn.execute(sa.insert(t.devices).values(id=f"00000000-0000-0000-0000-00000000000{n}",
                                                     device_id=f"laptop-{n}", user_id=busy["id"], first_seen=now,
                                                     last_seen=now, push_first=False))
    engine.dispose()
    own.post(f"/users/{left['id']}/disable", "admin", json={"reason": "left"})
    r = own.get("/users/review", "admin", params={"idle_days": 90})
    assert r.status_code == 200, r.text
    found = {u["username"]: u["findings"] for u in r.json()["items"]}
    assert "idle" in found["wg_idle"] and "no_activity" in found["wg_idle"]
    assert "never_logged_in" in found["wg_never"]
    assert found["wg_two_laptops"] == ["many_devices"]
    assert found["wg_left"] == ["left"]
    assert r.json()["counts"]["many_devices"] >= 1
    assert own.get("/users/review", "admin", params={"idle_days": 0}).status_code == 422
    assert own.get("/users/review", "sup_qbm").status_code == 403
    one_click = own.post("/users/disable", "admin", json={"ids": [idle["id"], never["id"]], "reason": "账号清查"})
    assert one_click.status_code == 200, one_click.text
    assert sorted(one_click.json()["changed"]) == sorted([idle["id"], never["id"]])
    assert all(u["active"] is False and u["disabled_reason"] == "账号清查" for u in one_click.json()["items"])
    assert audit_actions(own, "wg_idle")[-1] == "user_disable" and audit_actions(own, "wg_never")[-1] == "user_disable"
    outside = own.post("/users/disable", "admin2", json={"ids": [busy["id"]], "reason": "x"})
    assert outside.status_code == 404
