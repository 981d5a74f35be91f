"""The query history and saved queries through the REST API, as the panel uses them."""

from urllib.parse import quote


async def test_queries_run_from_the_panel_are_in_the_history_newest_first(api):
    for i in range(3):
        code, _ = await api.post("queries", {"sql": f"SELECT {i} AS n", "query_id": f"q{i}"})
        assert code == 200
    code, error = await api.post("queries", {"sql": "SELECT 1;\nSELEC 2"})
    assert code == 400

    code, page = await api.get("history")
    assert code == 200 and page["total"] == 4
    newest = page["entries"][0]
    assert newest["status"] == "error" and newest["source"] == "panel"
    assert (newest["error_line"], newest["error_column"]) == (2, 1)
    assert newest["error"] == error["message"]
    ok = page["entries"][1]
    assert (ok["sql"], ok["rows"], ok["status"], ok["query_id"]) == ("SELECT 2 AS n", 1, "ok", "q2")
    assert ok["duration_ms"] > 0 and ok["started_at"]

    code, paged = await api.get("history", limit="2", offset="1", status="ok")
    assert code == 200 and paged["total"] == 3
    assert [e["sql"] for e in paged["entries"]] == ["SELECT 1 AS n", "SELECT 0 AS n"]
    code, found = await api.get("history", q="select 1 as")
    assert [e["sql"] for e in found["entries"]] == ["SELECT 1 AS n"]

    code, one = await api.get(f"history/{ok['id']}")
    assert code == 200 and one == ok
    assert (await api.delete(f"history/{ok['id']}"))[0] == 204
    assert (await api.get(f"history/{ok['id']}"))[0] == 404
    assert (await api.delete(f"history/{ok['id']}"))[0] == 404
    assert (await api.get("history/abc"))[0] == 404
    code, cleared = await api.delete("history")
    assert code == 200 and cleared == {"deleted": 3}
    assert (await api.get("history"))[1]["total"] == 0


async def test_a_bad_history_parameter_is_a_422_naming_it(api):
    code, error = await api.get("history", limit="0")
    assert code == 422 and error["detail"]["field"] == "limit"
    code, error = await api.get("history", status="maybe")
    assert code == 422 and error["detail"]["field"] == "status"


async def test_saved_queries_are_saved_listed_read_renamed_and_deleted(api, jp_server_config):
    body = {"sql": "SELECT 1", "title": "One", "description": "the number one"}
    code, saved = await api.call("PUT", "saved-queries/first query", body)
    assert code == 200, saved
    assert saved["sql"] == "-- title: One\n-- description: the number one\nSELECT 1"
    workspace = jp_server_config["MLWorkbench"]["workspace"]
    with open(f"{workspace}/queries/first query.sql") as f:
        assert f.read() == saved["sql"]

    code, conflict = await api.call("PUT", "saved-queries/first query", {"sql": "SELECT 2"})
    assert code == 409 and conflict["code"] == "conflict" and "overwrite" in conflict["message"]
    body = {"sql": "SELECT 2", "overwrite": True}
    code, replaced = await api.call("PUT", "saved-queries/first query", body)
    assert code == 200 and replaced["sql"] == "SELECT 2" and replaced["title"] is None

    await api.call("PUT", "saved-queries/b", {"sql": "-- title: Bee\nSELECT 'b'"})
    code, listed = await api.get("saved-queries")
    assert code == 200
    assert [(q["name"], q["title"]) for q in listed["queries"]] == [
        ("b", "Bee"),
        ("first query", None),
    ]
    assert "sql" not in listed["queries"][0]

    code, read = await api.get("saved-queries/b")
    assert code == 200 and read["sql"] == "-- title: Bee\nSELECT 'b'"
    code, renamed = await api.post("saved-queries/b/rename", {"new_name": "bee"})
    assert code == 200 and renamed["name"] == "bee"
    code, taken = await api.post("saved-queries/bee/rename", {"new_name": "first query"})
    assert code == 409
    assert (await api.get("saved-queries/b"))[0] == 404
    assert (await api.delete("saved-queries/bee"))[0] == 204
    assert (await api.delete("saved-queries/bee"))[0] == 404


async def test_a_saved_query_name_with_a_path_is_a_400_saying_what_to_fix(api):
    for name in ("../x", "..\\x", "a.b", "x\x00"):
        code, error = await api.call("PUT", f"saved-queries/{quote(name, safe='')}", {"sql": "x"})
        assert code == 400, (name, error)
        assert error["code"] == "bad_request" and error["detail"]["field"] == "name"
        assert "letters, digits" in error["message"]
    code, error = await api.post("saved-queries/ok/rename", {"new_name": "../../etc/passwd"})
    assert code == 400
