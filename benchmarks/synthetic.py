"""Synthetic runbooks that look like real ones: sections, symptoms, commands, tables.

Used by the benchmarks (render time now; a 5,000-runbook library for search
later). Deterministic for a given seed, so runs compare like with like.
"""

from __future__ import annotations

import random
from pathlib import Path

SERVICES = ["payments-api", "orders-worker", "gateway", "postgres", "redis", "rabbitmq",
            "search", "auth", "billing", "notifications", "ledger", "inventory"]
SYMPTOMS = ["503 errors from the gateway", "p95 latency over 500 ms", "too many connections",
            "cache miss rate over 20%", "consumer lag over 10 minutes", "certificate has expired",
            "OOM kills on the worker pods", "disk usage over 90%", "error rate above 1%",
            "health checks failing", "replication lag over 30 s", "CrashLoopBackOff after deploy"]
SEVERITIES = ["SEV1", "SEV2", "SEV3", "P1", "P2", "Critical", "High"]


def _commands(rng: random.Random, service: str) -> str:
    lines = [
        f"kubectl get pods -n prod -l app={service} -o wide",
        f"kubectl logs -n prod deploy/{service} --tail=200 | grep -i error",
        f"kubectl rollout restart deployment/{service} -n prod",
        f"kubectl scale deployment/{service} -n prod --replicas={rng.randint(3, 30)}",
        "psql \"$DATABASE_URL\" -c \"SELECT count(*) FROM pg_stat_activity;\"",
        "redis-cli INFO memory | grep used_memory_human",
        f"curl -s http://prometheus:9090/api/v1/query --data-urlencode "
        f"'query=rate(http_requests_total{{app=\"{service}\",code=~\"5..\"}}[5m])'",
    ]
    rng.shuffle(lines)
    return "\n".join(f"# step {i + 1}\n{cmd}" for i, cmd in enumerate(lines[: rng.randint(2, 5)]))


def markdown_section(rng: random.Random, n: int) -> str:
    service = rng.choice(SERVICES)
    symptom = rng.choice(SYMPTOMS)
    severity = rng.choice(SEVERITIES)
    return f"""## {severity}: {service} {symptom} ({n})

**Symptoms:** {symptom}, {rng.choice(SYMPTOMS)}; alerts firing for {service}

**Response SLA**: {rng.choice([5, 15, 30, 60])} minutes

### Step 1: Diagnose {service}

1. **Check the pods**
   ```bash
{_indent(_commands(rng, service), 3)}
   ```

2. **Check dependencies**
   - Database: `SELECT 1;`
   - Cache: `redis-cli ping`
     - If the cache is down, see [cache runbook](cache.md#redis-cache-out-of-memory)

**If backend unhealthy:** restart it.

**Option A: Scale out**

```console
$ kubectl scale deployment/{service} -n prod --replicas=20
deployment.apps/{service} scaled
```

| Metric | Normal | Alert |
|--------|--------|-------|
| p95 latency | < 200 ms | > 500 ms |
| Error rate | < 0.1% | > 1% |

> [!WARNING]
> Never run `FLUSHALL` on the session cache for {service}.

"""


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.splitlines())


def markdown_runbook(size: int, seed: int = 1) -> str:
    """A Markdown runbook of about ``size`` characters."""
    rng = random.Random(seed)
    parts = ["---\ntitle: Synthetic runbook\nseverity: SEV2\ntags: [bench]\n---\n",
             "# Synthetic runbook\n\n"]
    n, total = 0, 0
    while total < size:
        section = markdown_section(rng, n)
        parts.append(section)
        total += len(section)
        n += 1
    return "".join(parts)


def rst_runbook(size: int, seed: int = 1) -> str:
    """A reST runbook of about ``size`` characters, with Sphinx constructs."""
    rng = random.Random(seed)
    parts = ["Synthetic runbook\n=================\n\n.. contents::\n   :local:\n\n"]
    n, total = 0, 0
    while total < size:
        service, symptom = rng.choice(SERVICES), rng.choice(SYMPTOMS)
        title = f"{service} {symptom} {n}"
        section = (
            f".. _label-{n}:\n\n{title}\n{'-' * len(title)}\n\n**Symptoms:**\n\n- {symptom}\n"
            f"- {rng.choice(SYMPTOMS)}\n\n.. warning::\n   Check :ref:`label-{max(n - 1, 0)}` "
            f"first.\n\n**Step 1: Check**\n\n.. code-block:: bash\n\n"
            f"{_indent(_commands(rng, service), 3)}\n\n"
            f".. note::\n   Press :kbd:`Ctrl+C` to stop :command:`kubectl`.\n\n"
        )
        parts.append(section)
        total += len(section)
        n += 1
    return "".join(parts)


TEAMS = ["platform", "data", "edge", "payments", "identity", "storage", "observability",
         "messaging"]
TAGS = ["database", "network", "kubernetes", "cache", "queue", "tls", "deploy", "latency",
        "availability", "security", "storage", "dns"]


def library_markdown(i: int, rng: random.Random) -> str:
    service, symptom = rng.choice(SERVICES), rng.choice(SYMPTOMS)
    tags = ", ".join(rng.sample(TAGS, 2))
    parts = [f"---\ntitle: {service} {symptom} ({i})\nseverity: {rng.choice(SEVERITIES)}\n"
             f"tags: [{tags}]\nowner: {rng.choice(TEAMS)}-oncall\n---\n\n",
             f"# {service} {symptom} ({i})\n\nRunbook {i} for {service}. Escalate to the "
             f"{rng.choice(TEAMS)} team when {symptom} lasts over {rng.randint(5, 60)} "
             "minutes.\n\n"]
    parts += [markdown_section(rng, n) for n in range(rng.choice((2, 3, 4, 5, 6, 8)))]
    return "".join(parts)


def library_rst(i: int, rng: random.Random) -> str:
    service, symptom = rng.choice(SERVICES), rng.choice(SYMPTOMS)
    title = f"{service} {symptom} ({i})"
    text = (f"{title}\n{'=' * len(title)}\n\n:Owner: {rng.choice(TEAMS)}-oncall\n"
            f":Severity: {rng.choice(SEVERITIES)}\n\n")
    body = rst_runbook(rng.choice((3000, 5000, 8000, 12000)), seed=rng.randint(0, 10**6))
    return text + body.split("\n", 2)[2]  # drop the generic title


def write_library(root: Path, count: int, seed: int = 7, rst_share: float = 0.25) -> list[str]:
    """Write ``count`` runbooks under ``root`` in team/service folders; returns their paths."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        team, service = rng.choice(TEAMS), rng.choice(SERVICES)
        is_rst = rng.random() < rst_share
        rel = f"{team}/{service}/runbook-{i:05}.{'rst' if is_rst else 'md'}"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(library_rst(i, rng) if is_rst else library_markdown(i, rng),
                        encoding="utf-8")
        paths.append(rel)
    return paths
