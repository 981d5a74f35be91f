"""Registering files: the right ones work, the wrong ones say what to fix."""


async def test_a_missing_file_is_404_naming_the_path(api, jp_root_dir):
    code, error = await api.post("sources", {"path": "data/nowhere.csv"})
    assert code == 404
    assert "nowhere.csv" in error["message"]


async def test_an_unsupported_file_type_lists_the_supported_ones(api, jp_root_dir):
    (jp_root_dir / "notes.txt").write_text("hello")
    code, error = await api.post("sources", {"path": "notes.txt"})
    assert code == 415
    assert "parquet" in error["message"].lower() and "csv" in error["message"].lower()


async def test_a_path_outside_the_jupyter_root_is_refused(api, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "x.csv"
    outside.write_text("a\n1\n")
    code, error = await api.post("sources", {"path": str(outside)})
    assert code == 403
    assert error["code"] == "forbidden_path"


async def test_a_name_taken_is_409_and_removing_frees_it(api, data_dir):
    code, _ = await api.post("sources", {"path": "data/customers.csv", "name": "c"})
    assert code == 201
    code, error = await api.post("sources", {"path": "data/orders.parquet", "name": "c"})
    assert code == 409
    code, _ = await api.delete("sources/c")
    assert code == 204
    code, _ = await api.post("sources", {"path": "data/orders.parquet", "name": "c"})
    assert code == 201


async def test_completion_names_list_tables_and_columns(api, data_dir):
    await api.post("sources", {"path": "data/customers.csv"})
    code, names = await api.get("catalog/names")
    assert code == 200
    assert names["tables"]["customers"] == ["cust_id", "name", "region"]
