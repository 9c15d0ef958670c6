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
_SERVICE_PARTS = (["payments", "orders", "ledger", "search", "auth", "billing", "inventory",
                   "notifications", "catalog", "pricing", "shipping", "profile", "session",
                   "reporting", "fraud", "checkout", "media", "export", "import", "audit"],
                  ["api", "worker", "gateway", "consumer", "scheduler", "db", "cache"])
LIBRARY_SERVICES = [f"{a}-{b}" for a in _SERVICE_PARTS[0] for b in _SERVICE_PARTS[1]]

# Each domain has its own symptoms and commands, as real runbooks do: psql in the
# database runbooks, redis-cli in the cache ones, kubectl wherever pods are involved.
DOMAINS: dict[str, tuple[list[str], list[str]]] = {
    "database": (["too many connections", "replication lag over 30 s", "slow queries",
                  "deadlocks in the logs", "connection pool exhausted", "disk full on the primary"],
                 ["psql \"$DATABASE_URL\" -c \"SELECT count(*) FROM pg_stat_activity;\"",
                  "psql -c \"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                  "WHERE state = 'idle in transaction';\"",
                  "psql -c \"SELECT now() - pg_last_xact_replay_timestamp();\"",
                  "pg_dump --schema-only orders > /tmp/schema.sql"]),
    "cache": (["cache miss rate over 20%", "evictions climbing", "OOM command not allowed",
               "latency spikes on GET"],
              ["redis-cli INFO memory | grep used_memory_human", "redis-cli --bigkeys",
               "redis-cli CONFIG SET maxmemory-policy allkeys-lru", "redis-cli SLOWLOG GET 20"]),
    "queue": (["consumer lag over 10 minutes", "messages piling up", "dead letter queue growing",
               "unacked messages"],
              ["rabbitmqctl list_queues name messages consumers",
               "kafka-consumer-groups --bootstrap-server kafka:9092 --describe --group orders",
               "rabbitmqctl purge_queue orders.retry"]),
    "kubernetes": (["CrashLoopBackOff after deploy", "OOMKilled pods", "pods stuck Pending",
                    "ImagePullBackOff"],
                   ["kubectl describe pod -n prod -l app={service}",
                    "kubectl rollout undo deployment/{service} -n prod",
                    "kubectl get events -n prod --sort-by=.lastTimestamp | tail -30",
                    "kubectl top pods -n prod -l app={service}"]),
    "edge": (["503 errors from the gateway", "p95 latency over 500 ms", "5xx rate above 1%",
              "health checks failing", "TLS handshake timeouts"],
             ["curl -sv https://{service}.example.com/healthz",
              "nginx -t && nginx -s reload",
              "kubectl logs -n edge deploy/gateway --tail=200 | grep -c ' 503 '"]),
    "tls": (["certificate has expired", "x509: certificate signed by unknown authority",
             "handshake failures"],
            ["openssl s_client -connect {service}.example.com:443 -servername "
             "{service}.example.com </dev/null | openssl x509 -noout -dates",
             "kubectl get certificate -A", "cmctl renew {service}-tls -n prod"]),
    "storage": (["disk usage over 90%", "read-only file system", "inode exhaustion",
                 "high iowait"],
                ["df -h /var/lib/{service}", "du -sh /var/log/* | sort -h | tail",
                 "iostat -x 5 3", "find /var/log -name '*.gz' -mtime +14 -delete"]),
    "dns": (["NXDOMAIN for internal names", "resolution timeouts", "stale records after failover"],
            ["dig +short {service}.prod.internal", "nslookup {service}.prod.internal 10.0.0.2",
             "kubectl -n kube-system rollout restart deployment/coredns"]),
}
_REMEDIES = ["Scale out", "Fail over", "Roll back", "Drain traffic", "Shed load"]
_PROSE = ["Check the dashboard for {service} before changing anything.",
          "Escalate to the {team} on-call if this lasts over {minutes} minutes.",
          "This usually follows a deploy of {service}; compare the release notes.",
          "Post an update in the incident channel every {minutes} minutes.",
          "Do not restart every replica at once; go one zone at a time.",
          "Capture the output for the post-incident review.",
          "Customers notice within {minutes} minutes, so act before confirming the cause."]


def library_section(rng: random.Random, n: int, domain: str, service: str) -> str:
    symptoms, commands = DOMAINS[domain]
    fill = {"service": service, "team": rng.choice(TEAMS), "minutes": rng.choice([5, 15, 30])}
    prose = " ".join(rng.choice(_PROSE).format(**fill) for _ in range(rng.randint(3, 7)))
    chosen = rng.sample(commands, min(len(commands), rng.randint(1, 3)))
    code = "\n".join(c.format(**fill) for c in chosen)
    heading = rng.choice([f"Step {n + 1}: Check {service}", f"If {rng.choice(symptoms)}",
                          f"Option {'ABCD'[n % 4]}: {rng.choice(_REMEDIES)}",
                          f"Diagnose {rng.choice(symptoms)}"])
    table = ""
    if rng.random() < 0.3:
        table = ("\n| Signal | Normal | Act when |\n|---|---|---|\n"
                 f"| {rng.choice(symptoms)} | rare | {rng.randint(2, 10)} in 5 min |\n")
    return (f"## {heading}\n\n**Symptoms:** {rng.choice(symptoms)}; {rng.choice(symptoms)}\n\n"
            f"{prose}\n\n```bash\n{code}\n```\n{table}\n")


def library_markdown(i: int, rng: random.Random) -> str:
    domain = rng.choice(list(DOMAINS))
    service = rng.choice(LIBRARY_SERVICES)
    symptom = rng.choice(DOMAINS[domain][0])
    parts = [f"---\ntitle: '{service}: {symptom} ({i})'\nseverity: {rng.choice(SEVERITIES)}\n"
             f"tags: [{domain}, {rng.choice(TAGS)}]\nowner: {rng.choice(TEAMS)}-oncall\n---\n\n",
             f"# {service}: {symptom} ({i})\n\nRunbook {i} for {service}, owned by the "
             f"{rng.choice(TEAMS)} team.\n\n"]
    parts += [library_section(rng, n, domain, service)
              for n in range(rng.choice((4, 6, 8, 10, 12, 16)))]
    return "".join(parts)


def library_rst(i: int, rng: random.Random) -> str:
    domain = rng.choice(list(DOMAINS))
    service = rng.choice(LIBRARY_SERVICES)
    symptoms, commands = DOMAINS[domain]
    title = f"{service}: {rng.choice(symptoms)} ({i})"
    out = [f"{title}\n{'=' * len(title)}\n\n:Owner: {rng.choice(TEAMS)}-oncall\n"
           f":Severity: {rng.choice(SEVERITIES)}\n\n.. contents::\n   :local:\n\n"]
    for n in range(rng.choice((4, 6, 8, 10, 12))):
        heading = f"Step {n + 1}: {rng.choice(['Check', 'Confirm', 'Fix'])} {rng.choice(symptoms)}"
        fill = {"service": service, "team": rng.choice(TEAMS), "minutes": rng.choice([5, 15])}
        code = "\n".join("   " + c.format(**fill) for c in rng.sample(commands, 2))
        prose = " ".join(rng.choice(_PROSE).format(**fill) for _ in range(rng.randint(2, 4)))
        out.append(f".. _{service}-{i}-{n}:\n\n{heading}\n{'-' * len(heading)}\n\n"
                   f"**Symptoms:**\n\n- {rng.choice(symptoms)}\n- {rng.choice(symptoms)}\n\n"
                   f"{prose}\n\n.. code-block:: bash\n\n{code}\n\n"
                   f".. warning::\n   See :ref:`{service}-{i}-{max(n - 1, 0)}` first.\n\n")
    return "".join(out)


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
