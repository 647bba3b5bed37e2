"""Action items over the API: added by the secretariat, moved on by the owning party or the secretariat;
read by the parties only (action.* events are the parties')."""

from .conftest import assert_error, events


def test_adding_and_listing_action_items(facilitator, api, committee):
    m = committee.meeting.id
    r = facilitator.post(
        f"/meetings/{m}/action-items",
        {"text": "Form the joint team", "owner": "Joint sub-committee", "deadline": "2020-12-01"},
    )
    assert r.status_code == 201, r.content
    item = r.json()
    assert item["owner_en"] == "Joint sub-committee" and item["owner_party"] is None and item["status"] == "open"
    assert item["deadline"] == "2020-12-01" and item["meeting"] == m
    listed = api("east-member").get(f"/meetings/{m}/action-items").json()
    assert {i["id"] for i in listed} == {committee.item.id, item["id"]}
    assert api("east-member").get(f"/action-items/{item['id']}").json() == item
    assert api("east-member").get(f"/meetings/{m}").json()["action_items"] == listed


def test_observers_read_no_action_item(api, committee):
    m = committee.meeting.id
    observer = api("observer")
    assert observer.get(f"/meetings/{m}/action-items").json() == []
    assert observer.get("/action-items").json() == []
    assert observer.get(f"/meetings/{m}").json()["action_items"] == []
    assert_error(observer.get(f"/action-items/{committee.item.id}"), 404, "action_item")


def test_the_owning_party_moves_its_item_on_and_the_list_filters_by_status(api, committee):
    item = committee.item.id
    r = api("west-member").post(f"/action-items/{item}/status", {"status": "in_progress", "note": "teams deployed"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_progress" and r.json()["status_note"] == "teams deployed"
    assert api("east-member").get("/action-items", {"status": "open"}).json() == []
    assert [i["id"] for i in api("east-member").get("/action-items", {"status": "in_progress"}).json()] == [item]
    assert [i["id"] for i in api("east-member").get("/action-items").json()] == [item]
    before = events()
    assert_error(api("east-head").post(f"/action-items/{item}/status", {"status": "done"}), 403, None)
    assert events() == before
    assert api("facilitator").post(f"/action-items/{item}/status", {"status": "done"}).json()["status"] == "done"


def test_bad_status_filters_and_ids_are_refused(api, committee):
    observer = api("observer")
    assert_error(observer.get("/action-items", {"status": "closed"}), 422, "status")
    assert_error(observer.get("/action-items/424242"), 404, "action_item")
    assert_error(observer.get("/action-items/-3"), 422, "action_item")
