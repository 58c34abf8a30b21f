"""Every read endpoint through the real app, on the five seeds and the real embedding model."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from capgraph.api.routers import browser
from capgraph.app import Services


def test_health_reports_store_and_model(client: TestClient, services: Services) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    fingerprint = services.settings.store_fingerprint
    assert body["store"] == {"reachable": True, "backend": "networkx", "fingerprint": fingerprint, "detail": None}
    assert body["model"]["loaded"] is True and body["model"]["name"] == "all-MiniLM-L6-v2"


def test_stats_counts_the_seeds(client: TestClient) -> None:
    body = client.get("/stats").json()
    assert body["sources"] == 5
    assert body["models"] > 10 and body["capabilities"] > 20
    assert body["embedding_model"] == "all-MiniLM-L6-v2" and body["embedding_dim"] == 384
    assert body["relationships"]["HAS_CAPABILITY"] == body["capabilities"]


def test_sources_list_and_detail(client: TestClient) -> None:
    listing = client.get("/sources").json()
    assert listing["total"] == 5 == len(listing["sources"])
    titles = [(s["title"], s["id"]) for s in listing["sources"]]
    assert titles == sorted(titles)
    source = next(s for s in listing["sources"] if s["title"] == "o4-mini vs Llama 4")
    detail = client.get(f"/sources/{source['id']}").json()
    assert detail["source"]["id"] == source["id"] and detail["source"]["format"] == "comparison"
    by_id = {m["id"]: m for m in detail["models"]}
    assert {"o4-mini", "llama-4"} <= set(by_id)
    assert detail["extracted"]["capabilities"] == sum(m["capabilities"] for m in detail["models"])
    assert by_id["o4-mini"]["capabilities"] > 0
    assert isinstance(detail["warnings"], list)


def test_sources_paginate(client: TestClient) -> None:
    everything = client.get("/sources", params={"limit": 500}).json()
    assert everything["total"] == 5 == len(everything["sources"])
    page = client.get("/sources", params={"offset": 1, "limit": 2}).json()
    assert page == {"total": 5, "offset": 1, "limit": 2, "next_offset": 3, "sources": everything["sources"][1:3]}
    assert client.get("/sources", params={"offset": 9}).json()["sources"] == []
    assert client.get("/sources").json()["limit"] == 100
    for bad in ({"limit": 501}, {"limit": 0}, {"offset": -1}):
        r = client.get("/sources", params=bad)
        assert r.status_code == 422 and r.json()["fields"][0]["loc"][-1] in bad


def test_models_filter_and_paginate(client: TestClient) -> None:
    everything = client.get("/models", params={"limit": 500}).json()
    assert everything["total"] == len(everything["models"]) == client.get("/stats").json()["models"]
    names = [(m["name"].lower(), m["id"]) for m in everything["models"]]
    assert names == sorted(names)
    page = client.get("/models", params={"offset": 2, "limit": 3}).json()
    assert page["total"] == everything["total"] and page["offset"] == 2 and page["limit"] == 3
    assert page["models"] == everything["models"][2:5]
    llamas = client.get("/models", params={"prefix": "LLAMA"}).json()
    assert llamas["total"] >= 4 and all(m["name"].lower().startswith("llama") for m in llamas["models"])
    repos = client.get("/models", params={"kind": "repository"}).json()
    assert repos["total"] >= 1 and all(m["kind"] == "Repository" for m in repos["models"])
    assert client.get("/models", params={"prefix": "zzz-none"}).json() == {
        "total": 0,
        "offset": 0,
        "next_offset": None,
        "limit": 100,
        "models": [],
    }


def test_model_detail_groups_claims_and_flags_conflicts(client: TestClient) -> None:
    r = client.get("/models/o4-mini")
    assert r.status_code == 200
    body = r.json()
    assert body["model"]["id"] == "o4-mini"
    attrs = [g["attribute"] for g in body["claims"]]
    assert attrs == sorted(attrs) and len(attrs) == len(set(attrs))
    for group in body["claims"]:
        assert group["conflict"] == (len(group["values"]) > 1)
        for value in group["values"]:
            assert value["sources"] and all(s["id"] and s["title"] for s in value["sources"])
    # two seeds state o4-mini's capability count differently: both kept, the conflict shown
    caps = next(g for g in body["claims"] if g["attribute"] == "capabilities")
    assert caps["conflict"] is True and len(caps["values"]) == 2
    assert body["capabilities"] and all(c["model_id"] == "o4-mini" for c in body["capabilities"])
    kinds = {e["kind"] for e in body["evidence"]}
    assert "COMPARED_WITH" in kinds
    assert all(e["sources"] for e in body["evidence"])


def test_model_detail_by_name_and_alias(client: TestClient) -> None:
    assert client.get("/models/GPT 4o").json()["model"]["id"] == "gpt-4o"
    assert client.get("/models/OpenAI: GPT-4o").json()["model"]["id"] == "gpt-4o"
    assert client.get("/models/LLama 4").json()["model"]["id"] == "llama-4"


def test_model_variants(client: TestClient) -> None:
    body = client.get("/models/llama-4").json()
    assert {"llama-4-scout", "llama-4-maverick"} <= set(body["variants"])


def test_model_capabilities(client: TestClient) -> None:
    body = client.get("/models/o4-mini/capabilities").json()
    detail = client.get("/models/o4-mini").json()
    assert body["model"]["id"] == "o4-mini"
    assert body["capabilities"] == detail["capabilities"]
    assert [c["id"] for c in body["capabilities"]] == sorted(c["id"] for c in body["capabilities"])
    assert body["total"] == len(body["capabilities"]) > 2 and body["offset"] == 0


def test_model_capabilities_are_paginated(client: TestClient) -> None:
    """One response holds at most `limit` (<= 1000) capabilities: a page can state 10,000 of them."""
    every = client.get("/models/o4-mini/capabilities").json()["capabilities"]
    page = client.get("/models/o4-mini/capabilities", params={"offset": 1, "limit": 2}).json()
    assert page["total"] == len(every) and page["limit"] == 2
    assert page["capabilities"] == every[1:3]
    assert client.get("/models/o4-mini/capabilities", params={"offset": len(every)}).json()["capabilities"] == []
    assert client.get("/models/o4-mini/capabilities", params={"limit": 1001}).status_code == 422


def test_alternatives_carry_parts_and_evidence(client: TestClient) -> None:
    r = client.get("/models/o4-mini/alternatives", params={"k": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["model"]["id"] == "o4-mini"
    alts = body["alternatives"]
    assert 1 <= len(alts) <= 5 and all(a["model"]["id"] != "o4-mini" for a in alts)
    assert [(-a["score"], a["model"]["id"]) for a in alts] == sorted((-a["score"], a["model"]["id"]) for a in alts)
    assert {"capabilities", "compared", "contrasted"} <= set(alts[0]["parts"])
    compared = next(a for a in alts if a["model"]["id"] == "llama-4")
    assert compared["parts"]["compared"] > 0 and compared["reason"]
    assert compared["evidence"][0]["kind"] == "COMPARED_WITH" and compared["evidence"][0]["sources"]
    assert client.get("/models/o4-mini/alternatives", params={"k": 5}).json() == body  # deterministic


def test_overlap_and_compare(client: TestClient) -> None:
    ov = client.get("/overlap", params={"a": "llama-3-2-1b", "b": "gpt-4o"}).json()
    assert ov["a"]["id"] == "llama-3-2-1b" and ov["b"]["id"] == "gpt-4o"
    assert 0.0 <= ov["score"] <= 1.0
    assert all(p["similarity"] >= ov["threshold"] for p in ov["shared"])
    n_a = len(client.get("/models/llama-3-2-1b/capabilities").json()["capabilities"])
    assert len(ov["shared"]) + len(ov["unique_a"]) == n_a
    cmp = client.get("/compare", params={"a": "Llama 3.2 1B", "b": "GPT-4o"}).json()
    assert cmp["a"]["id"] == "llama-3-2-1b"
    assert cmp["verdict"].endswith(".") and "GPT-4o" in cmp["verdict"]
    rank = next(f for f in cmp["site_claims"] if f["fact"] == "unfragile_rank")
    assert rank["a"][0]["sources"] and rank["b"][0]["sources"]
    assert cmp["capgraph_rank_b"]["scheme"] == "capgraph" and cmp["capgraph_rank_b"]["components"]


def test_search_groups_evidence_by_model(client: TestClient) -> None:
    r = client.get("/search", params={"q": "generate images from a text prompt", "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "generate images from a text prompt"
    assert 1 <= len(body["hits"]) <= 3 and not body["nothing_fits"]
    assert body["hits"][0]["model"]["id"] == "stable-diffusion"
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)
    for hit in body["hits"]:
        assert hit["evidence"] and all(p["model_id"] == hit["model"]["id"] for p in hit["evidence"])


def test_search_with_nothing_fitting_is_empty_with_near_misses(client: TestClient) -> None:
    body = client.get("/search", params={"q": "bake a chocolate cake"}).json()
    assert body["hits"] == [] and body["nothing_fits"]
    assert body["near_misses"] and all(h["near_miss"] for h in body["near_misses"])


def test_leaderboard(client: TestClient) -> None:
    assert client.get("/benchmarks/no-such-benchmark").status_code == 404
    assert client.get("/benchmarks").json()["benchmarks"]


def test_similar_capabilities(client: TestClient) -> None:
    cap = client.get("/models/llama-3-2-1b/capabilities").json()["capabilities"][0]
    body = client.get(f"/capabilities/{cap['id']}/similar", params={"k": 4}).json()
    assert body["capability"]["id"] == cap["id"]
    assert len(body["similar"]) == 4
    assert all(s["capability"]["model_id"] != "llama-3-2-1b" for s in body["similar"])
    sims = [s["similarity"] for s in body["similar"]]
    assert sims == sorted(sims, reverse=True)


def test_neighborhood_for_drawing(client: TestClient) -> None:
    body = client.get("/graph/neighborhood/o4-mini").json()
    ids = {n["id"] for n in body["nodes"]}
    assert "Model:o4-mini" in ids
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])
    assert {"HAS_CAPABILITY", "STATES"} <= {e["type"] for e in body["edges"]}
    deeper = client.get("/graph/neighborhood/o4-mini", params={"depth": 2}).json()
    assert len(deeper["nodes"]) > len(body["nodes"])
    capped = client.get("/graph/neighborhood/o4-mini", params={"depth": 2, "limit": 5}).json()
    assert len(capped["nodes"]) == 5
    cap_id = client.get("/models/o4-mini/capabilities").json()["capabilities"][0]["id"]
    assert client.get(f"/graph/neighborhood/{cap_id}").status_code == 200


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/sources",
        "/sources/{source_id}",
        "/models",
        "/models/{model}",
        "/models/{model}/capabilities",
        "/models/{model}/alternatives",
        "/overlap",
        "/compare",
        "/search",
        "/benchmarks",
        "/benchmarks/{name}",
        "/capabilities/{capability_id}/similar",
        "/graph/neighborhood/{node_id}",
        "/health",
        "/stats",
        "/browser/capgraph.grass",
        "/browser/guide.html",
    } <= paths
    body = spec["paths"]["/sources"]["post"]["requestBody"]["content"]
    assert {"text/plain", "application/json"} <= set(body)
    assert "X-API-Key" in str(spec["components"]["securitySchemes"])
    assert client.get("/docs").status_code == 200


def _browser_origin(services: Services, host: str = "127.0.0.1") -> str:
    """The Neo4j Browser's origin as the settings derive it (port 7474 unless NEO4J_HTTP_PORT moves it)."""
    return f"http://{host}:{services.settings.neo4j_http_port}"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_browser_style_with_cors(client: TestClient, services: Services, host: str) -> None:
    origin = _browser_origin(services, host)
    r = client.get("/browser/capgraph.grass", headers={"Origin": origin})
    assert r.status_code == 200 and "node.Model" in r.text
    assert r.headers["access-control-allow-origin"] == origin
    assert r.headers["content-type"].startswith("text/plain")


def test_browser_cors_refuses_other_origins_and_writes(client: TestClient) -> None:
    r = client.get("/browser/capgraph.grass", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options(
        "/sources", headers={"Origin": "http://localhost:7474", "Access-Control-Request-Method": "POST"}
    )
    assert pre.status_code == 400


def test_browser_guide_when_present_and_absent(
    client: TestClient, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    origin = _browser_origin(services)
    monkeypatch.setattr(browser, "ASSETS", tmp_path)
    r = client.get("/browser/guide.html")
    assert r.status_code == 404 and r.json()["error"] == "NotFound"
    assert client.get("/browser/capgraph.grass").status_code == 404
    (tmp_path / "guide.html").write_text("<article class='guide'>capgraph</article>")
    r = client.get("/browser/guide.html", headers={"Origin": origin})
    assert r.status_code == 200 and "capgraph" in r.text
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["access-control-allow-origin"] == origin
