"""Alert runbooks as real libraries write them, pasted alerts, labels and categories (issue 21)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import MakeIndex
from viewer.core.triage.alerts import parse_notification, symptom_label
from viewer.core.triage.tree import OTHER, TriageTree


def alert_page(name: str, meaning: str, heading: str | None = None) -> str:
    """One alert per file, as kubevirt, openshift and prometheus-operator write them."""
    return (f"# {heading or name}\n\n## Meaning\n\n{meaning}\n\n## Impact\n\nUsers notice.\n\n"
            "## Diagnosis\n\n```bash\nkubectl get pods\n```\n\n## Mitigation\n\nFix it.\n")


SPELLINGS = {  # every way real alert names are spelled; none is Capitalised+CamelCase only
    "etcd/etcdMembersDown.md": ("etcdMembersDown", "This alert fires when one or more etcd "
                                "members go down."),
    "odf/ODFDiskUtilizationHigh.md": ("ODFDiskUtilizationHigh", "Disk use on a storage node "
                                      "is over 90%."),
    "odf/KMSServerConnectionAlert.md": ("KMSServerConnectionAlert", "The key server cannot be "
                                        "reached."),
    "ssp/SSPDown.md": ("SSPDown", "No SSP operator pod is running."),
    "cdi/CDIOperatorDown.md": ("CDIOperatorDown", "The CDI operator is down."),
    "node/node_exporter_down.md": ("node_exporter_down", "The node exporter stopped answering."),
}


def tree_of(make_index: MakeIndex, files: dict[str, str]) -> TriageTree:
    """The symptom sidebar of a library of ``files``."""
    index, _ = make_index(files)
    return TriageTree.load(index)


def sidebar_alerts(make_index: MakeIndex, files: dict[str, str]) -> list[str]:
    """The alert names the sidebar lists for a library of ``files``."""
    tree = tree_of(make_index, files)
    return [a for c in tree.categories for n in c.symptoms for a in n.alerts]


def by_alert(tree: TriageTree) -> dict:
    """The sidebar's alert symptoms by their first alert's name."""
    return {n.alerts[0]: n for c in tree.categories for n in c.symptoms if n.alerts}


@pytest.fixture
def alert_tree(make_index: MakeIndex) -> TriageTree:
    files = {path: alert_page(name, meaning) for path, (name, meaning) in SPELLINGS.items()}
    # The first heading differs from the file name, as it does in real repositories.
    files["net/DNSErrors.md"] = alert_page("DNSErrors", "DNS lookups fail.",
                                           heading="DNS errors in the cluster")
    files["net/CoreDNSErrorsHigh.md"] = alert_page("CoreDNSErrorsHigh", "CoreDNS answers "
                                                   "SERVFAIL to many queries.")
    index, _ = make_index(files)
    return TriageTree.load(index)


@pytest.mark.parametrize("path", list(SPELLINGS))
def test_an_alert_of_any_spelling_is_in_the_sidebar_and_found_by_paste(
        alert_tree: TriageTree, path: str) -> None:
    name = SPELLINGS[path][0]
    listed = {a for c in alert_tree.categories for n in c.symptoms for a in n.alerts}
    assert name in listed
    pasted = f"[FIRING:1] {name} (namespace=prod severity=critical)"
    assert [t.path for t in alert_tree.match_alert(pasted)][:1] == [path]


def test_the_file_name_is_an_alert_name_when_the_heading_is_not(alert_tree: TriageTree) -> None:
    assert [t.path for t in alert_tree.match_alert("alertname = DNSErrors")] == [
        "net/DNSErrors.md"]


def test_an_exact_name_wins_and_a_near_one_is_only_suggested(make_index: MakeIndex) -> None:
    index, _ = make_index({"net/CoreDNSErrorsHigh.md": alert_page(
        "CoreDNSErrorsHigh", "CoreDNS answers SERVFAIL.")})
    tree = TriageTree.load(index)
    [match] = tree.paste("[FIRING:1] DNSErrors (job=dns)")
    assert match.targets == []  # never opened by itself
    assert [t.path for t in match.suggestions] == ["net/CoreDNSErrorsHigh.md"]
    assert tree.match_alert("[FIRING:1] DNSErrors") == []


def chinese_alert_page(name: str, meaning: str) -> str:
    """The same template translated into Chinese, as kubesphere/alert-runbooks writes it."""
    return (f"# {name}\n\n## 含义\n\n{meaning}\n\n## 影响\n\n用户会受到影响。\n\n"
            "## 诊断\n\n### 查看日志\n\n```bash\nkubectl logs deploy/queue\n```\n\n"
            "## 缓解\n\n重启服务。\n")


@pytest.fixture
def bilingual_tree(make_index: MakeIndex) -> TriageTree:
    """A library in two languages: each alert has an English and a Chinese runbook."""
    index, _ = make_index({
        "en/QueueBacklogGrowing.md": alert_page("QueueBacklogGrowing",
                                                "Messages wait longer than five minutes."),
        "zh/QueueBacklogGrowing.md": chinese_alert_page(
            "QueueBacklogGrowing", "队列中的消息等待超过五分钟。消费者可能已经停止。"),
        "zh/QueueConsumerStuck.md": chinese_alert_page("QueueConsumerStuck",
                                                       "消费者连续十分钟没有处理任何消息"),
    })
    return TriageTree.load(index)


def test_an_alert_runbook_written_in_chinese_is_in_the_sidebar(
        bilingual_tree: TriageTree) -> None:
    labels = {n.label: n for c in bilingual_tree.categories for n in c.symptoms}
    # Its first sentence is the symptom, cut at the Chinese full stop.
    assert "QueueBacklogGrowing: 队列中的消息等待超过五分钟" in labels
    assert "QueueConsumerStuck: 消费者连续十分钟没有处理任何消息" in labels
    entry = bilingual_tree.scenarios_for(
        labels["QueueConsumerStuck: 消费者连续十分钟没有处理任何消息"].key)[0]
    assert entry.target.path == "zh/QueueConsumerStuck.md"
    assert [label for label, _ in entry.branches] == ["查看日志"]  # under 诊断 (Diagnosis)


def test_a_pasted_alert_opens_the_runbook_in_its_own_language_first(
        bilingual_tree: TriageTree) -> None:
    english = "[FIRING:1] QueueBacklogGrowing (namespace=prod severity=warning)"
    chinese = "[FIRING:1] QueueBacklogGrowing (消息积压 namespace=prod)"
    assert [t.path for t in bilingual_tree.match_alert(english)] == [
        "en/QueueBacklogGrowing.md", "zh/QueueBacklogGrowing.md"]
    assert [t.path for t in bilingual_tree.match_alert(chinese)] == [
        "zh/QueueBacklogGrowing.md", "en/QueueBacklogGrowing.md"]


def test_a_long_chinese_label_is_cut_at_a_character_not_back_at_a_space() -> None:
    meaning = "Kafka 集群的消费者组在过去十五分钟内没有提交任何偏移量并且积压持续增长"
    label = symptom_label(meaning, "KafkaConsumerGroupStalled")
    assert label.startswith("KafkaConsumerGroupStalled: Kafka 集群的")
    assert label.endswith("…") and len(label) > len("KafkaConsumerGroupStalled: Kafka …")


def test_a_playbook_of_many_alerts_gives_one_scenario_each(make_index: MakeIndex) -> None:
    index, _ = make_index({"playbooks.md": (
        "# Playbooks\n\n## Alerts\n\n### StoreIngesterUnhealthy\n\nThis alert goes off when an "
        "ingester is marked unhealthy.\n\n### StoreRequestLatency\n\nHow it **works**:\n\n"
        "This alert fires when a route answers slowly.\n\n#### Write latency\n\nCheck.\n\n"
        "### StoreQueriesIncorrect\n\n_TODO: not written yet._\n\n## Manual procedures\n\n"
        "### Scaling up\n\nAdd replicas.\n")})
    tree = TriageTree.load(index)
    for name, anchor in (("StoreIngesterUnhealthy", "storeingesterunhealthy"),
                         ("StoreRequestLatency", "storerequestlatency"),
                         ("StoreQueriesIncorrect", "storequeriesincorrect")):
        [target] = tree.match_alert(name)
        assert (target.path, target.anchor) == ("playbooks.md", anchor)
    labels = {n.label for c in tree.categories for n in c.symptoms}
    assert "StoreRequestLatency: A route answers slowly" in labels
    assert not any("Scaling" in label for label in labels)


ERROR_CATALOG = (
    "# Ledger runbooks\n\n## Alerts\n\n### LedgerWritesFailing\n\nThis alert fires when "
    "writes fail.\n\n## Errors catalog\n\n### err-ledger-entry-too-old\n\nThis error occurs "
    "when a writer sends an entry older than the retention window.\n\nCommon **causes**:\n\n"
    "- A clock skewed backwards.\n\n### err-ledger-duplicate-key\n\nThe ledger rejects an "
    "entry whose key it already holds.\n\n## Manual procedures\n\n### re-run-the-import\n\n"
    "Run it again.\n")


def test_an_error_catalog_gives_one_scenario_per_error_code(make_index: MakeIndex) -> None:
    index, _ = make_index({"ledger.md": ERROR_CATALOG})
    tree = TriageTree.load(index)
    labels = {n.label for c in tree.categories for n in c.symptoms}
    assert "err-ledger-entry-too-old: A writer sends an entry older…" in labels
    assert any(label.startswith("err-ledger-duplicate-key: The ledger rejects") for label in
               labels)
    # A kebab-case heading outside an errors section is a procedure, not an error code.
    assert not any("re-run" in label for label in labels)


def test_a_pasted_log_line_finds_the_section_of_its_error_code(make_index: MakeIndex) -> None:
    index, _ = make_index({"ledger.md": ERROR_CATALOG})
    tree = TriageTree.load(index)
    line = ('ts=2026-12-07T03:12:09Z level=error caller=writer.go:88 msg="write failed" '
            'err="rpc error: code = 400 desc = entry rejected (err-ledger-entry-too-old)"')
    [target] = tree.match_alert(line)
    assert (target.path, target.anchor) == ("ledger.md", "err-ledger-entry-too-old")


def test_a_configuration_reference_is_not_read_as_alerts(make_index: MakeIndex) -> None:
    # snake_case headings look like alert names; "alertmanager" only contains the word.
    assert sidebar_alerts(make_index, {"reference.md": (
        "# Configuration parameters\n\n### blob_storage\n\nThe blob_storage block configures "
        "the alertmanager storage backend.\n\n### ruler_storage\n\nFlags:\n\n"
        "- `alertmanager-storage`\n- `ruler-storage`\n\n### PagerQueueFull\n\nThis alert "
        "fires when the pager queue is full.\n")}) == ["PagerQueueFull"]


def test_a_settings_property_under_an_errors_heading_is_not_an_error_code(
        make_index: MakeIndex) -> None:
    """Mintlify's settings reference: "### `errors`", then "##### `errors.404.title`"."""
    assert sidebar_alerts(make_index, {"settings.md": (
        "# Settings\n\n### `errors`\n\nError pages.\n\n#### `errors.404`\n\nThe 404 page."
        "\n\n##### `errors.404.title`\n\nCustom title for the 404 page.\n\n"
        "### Errors\n\n#### ERR-QUEUE-FULL\n\nThe queue rejected a message.\n")}) == [
        "ERR-QUEUE-FULL"]


def finding_page(kind: str, said: str, severity: str = "High") -> str:
    """One security finding per file, as GuardDuty's finding runbooks are written."""
    return (f"{kind}\n{'-' * len(kind)}\n\n### {said}\n\n**Default severity: {severity}**\n\n"
            "* **Data source:** VPC flow logs\n\nThis finding informs you that something "
            "happened.\n\n**Remediation recommendations:**\n\nIsolate the instance.\n")


FINDINGS = {
    "runbooks/backdoor-ec2-cc-activity.md": (
        "Backdoor:EC2/C&CActivity.B", "An EC2 instance is querying an IP of a known command "
        "and control server."),
    "runbooks/backdoor-ec2-cc-activity-dns.md": (
        "Backdoor:EC2/C&CActivity.B!DNS", "An EC2 instance is querying a domain of a known "
        "command and control server."),
    "runbooks/unauthorizedaccess-ec2-sshbruteforce.md": (
        "UnauthorizedAccess:EC2/SSHBruteForce", "An EC2 instance has been involved in SSH "
        "brute force attacks."),
}


@pytest.fixture
def finding_tree(make_index: MakeIndex) -> TriageTree:
    index, _ = make_index({path: finding_page(kind, said) for path, (kind, said)
                           in FINDINGS.items()})
    return TriageTree.load(index)


def test_a_security_finding_runbook_is_in_the_sidebar_under_security(
        finding_tree: TriageTree) -> None:
    nodes = {a: (c.name, n) for c in finding_tree.categories for n in c.symptoms
             for a in n.alerts}
    assert set(nodes) == {kind for kind, _ in FINDINGS.values()}
    category, node = nodes["UnauthorizedAccess:EC2/SSHBruteForce"]
    assert category == "Security"
    assert node.text == "An EC2 instance has been involved in SSH brute force attacks"
    [target] = finding_tree.match_alert("UnauthorizedAccess:EC2/SSHBruteForce")
    assert target.severity == "High"


def guardduty_event(kind: str, **detail: object) -> str:
    """A GuardDuty finding as EventBridge delivers it, what a security engineer pastes."""
    return json.dumps({"detail-type": "GuardDuty Finding", "source": "aws.guardduty",
                       "region": "eu-west-1", "detail": {"type": kind, **detail}})


def test_a_pasted_guardduty_event_opens_its_finding_runbook(finding_tree: TriageTree) -> None:
    event = guardduty_event(
        "Backdoor:EC2/C&CActivity.B!DNS", accountId="123456789012", region="eu-west-1",
        severity=8, resource={"resourceType": "Instance",
                              "instanceDetails": {"instanceId": "i-0f3b4c5d6e7f80912"}})
    [match] = finding_tree.paste(event)
    assert [t.path for t in match.targets] == ["runbooks/backdoor-ec2-cc-activity-dns.md"]
    assert match.labels["instance_id"] == "i-0f3b4c5d6e7f80912"
    assert match.labels["region"] == "eu-west-1"
    # The API's own output, and a finding named in a chat message.
    listed = json.dumps({"Findings": [{"Type": "UnauthorizedAccess:EC2/SSHBruteForce",
                                       "Region": "us-east-1", "Severity": 2}]})
    assert [t.path for t in finding_tree.match_alert(listed)] == [
        "runbooks/unauthorizedaccess-ec2-sshbruteforce.md"]
    said = "GuardDuty: Backdoor:EC2/C&CActivity.B on i-0abc in prod, who is looking?"
    assert [t.path for t in finding_tree.match_alert(said)] == [
        "runbooks/backdoor-ec2-cc-activity.md"]


def test_a_heading_in_capitals_is_not_an_alert(make_index: MakeIndex) -> None:
    # A reference page's "##### ATTRIBUTES" whose table mentions alerts (Sensu's docs).
    assert sidebar_alerts(make_index, {"reference/clients.md": (
        "# Clients\n\n## Alerts\n\n##### ATTRIBUTES\n\nalert | the alert to raise\n\n"
        "### KUBE_NODE_DOWN\n\nThis alert fires when a node stops answering.\n")}) == [
        "KUBE_NODE_DOWN"]


def test_a_page_of_several_findings_gives_one_scenario_each(make_index: MakeIndex) -> None:
    index, _ = make_index({"security/guardduty.md": (
        "# GuardDuty response\n\n## Findings\n\n### Recon:EC2/PortProbeUnprotectedPort\n\n"
        "An unprotected port is probed by a known scanner.\n\n"
        "### CryptoCurrency:EC2/BitcoinTool.B\n\nAn instance talks to a mining pool.\n")})
    tree = TriageTree.load(index)
    for kind, anchor in (("Recon:EC2/PortProbeUnprotectedPort", "reconec2portprobeunprotectedport"),
                         ("CryptoCurrency:EC2/BitcoinTool.B", "cryptocurrencyec2bitcointoolb")):
        [target] = tree.match_alert(f"GuardDuty: {kind} on i-0abc")
        assert (target.path, target.anchor) == ("security/guardduty.md", anchor)


def test_a_table_of_alerts_gives_one_scenario_per_row(make_index: MakeIndex) -> None:
    index, _ = make_index({"mixin/runbook.md": (
        "# Alerts\n\n## store-compact\n\n|Name|Summary|Description|Severity|Runbook|\n"
        "|---|---|---|---|---|\n"
        "|StoreCompactHalted|Compaction has failed and halted.|It halted.|warning|[x](#a)|\n"
        "|StoreCompactIsDown|The compactor has disappeared.|Gone.|critical|[x](#b)|\n")})
    tree = TriageTree.load(index)
    [target] = tree.match_alert("[FIRING:1] StoreCompactIsDown")
    assert (target.path, target.anchor, target.severity) == (
        "mixin/runbook.md", "store-compact", "Critical")


def test_a_table_of_an_apis_fields_is_not_a_table_of_alerts(make_index: MakeIndex) -> None:
    assert sidebar_alerts(make_index, {"reference/metadata.md": (
        "# Metadata API\n\n## Fields\n\nName | Type | Description\n---- | ---- | ---\n"
        "healthProbeInterval | string | Time between each health probe.\n"
        "deadLetterTopic | string | Dead letter topic name.\n\n## Alerts\n\n"
        "Name | Description\n---- | ---\nLedgerWritesFailing | Writes to the ledger fail.\n")
    }) == ["LedgerWritesFailing"]


def test_labels_are_short_and_say_what_happens(alert_tree: TriageTree) -> None:
    nodes = {a: n for c in alert_tree.categories for n in c.symptoms for a in n.alerts}
    node = nodes["etcdMembersDown"]
    assert node.label == "etcdMembersDown: One or more etcd members go down"
    assert node.text == "This alert fires when one or more etcd members go down"
    long = symptom_label("This alert is triggered when northd or southbound databases are "
                         "not answering within the expected interval of time", "SouthboundStale")
    assert long.startswith("SouthboundStale: Northd or southbound") and len(long) <= 60
    assert long.endswith("…")


def test_junk_never_becomes_a_symptom(make_index: MakeIndex) -> None:
    index, _ = make_index({"ops/pages.md": (
        "# Pages\n\n## Symptoms\n\n- https://pages.gitlab.io)\n- HAProxy is missing workers:\n"
        "- Here is a list of potential sources of errors\n- Pages return 502 to users\n")})
    tree = TriageTree.load(index)
    assert [n.text for c in tree.categories for n in c.symptoms] == ["Pages return 502 to users"]


def test_a_symptoms_section_in_prose_gives_what_happens_not_its_explanation(
        make_index: MakeIndex) -> None:
    """Rook's troubleshooting pages explain under Symptoms: each of a long paragraph's
    sentences was a symptom ("For example, the administrator might...")."""
    tree = tree_of(make_index, {"troubleshooting/osd.md": (
        "# OSD issues\n\n## Journal disk fills up\n\n### Symptoms\n\n"
        "OSD pods restart when the journal disk fills. This happens more often on small "
        "disks. For example, a 20 GB disk fills in a day. In addition, writes stall.\n\n"
        "Below is an example of the pod list when it happens.\n\n"
        "The underlying issue is the journal's size. Small disks fill fast. "
        "Large ones take a week.\n\n"
        "For example, node-3 filled first. It had 20 GB. It was the oldest.\n\n"
        "## Monitor quorum lost\n\n### Symptoms\n\nThe cluster stops serving writes. "
        "Alerts will be lost.\n")})
    assert sorted(n.text for c in tree.categories for n in c.symptoms) == [
        "Alerts will be lost",  # two short sentences: each may be a symptom
        "OSD pods restart when the journal disk fills",
        "The cluster stops serving writes"]


def test_a_symptoms_sentence_that_refers_back_explains_the_one_before(
        make_index: MakeIndex) -> None:
    """GitLab's runbooks follow a symptom with what it means ("It's used as an end-to-end
    test", "This will lead to...", "Normally it takes..."): those filled the sidebar."""
    tree = tree_of(make_index, {
        "heartbeat.md": "# Heartbeat\n\n## Symptoms\n\nThe heartbeat alert stops arriving. "
                        "It's used as an end-to-end check of paging.\n",
        "checkpoint.md": "# Checkpoints\n\n## Symptoms\n\nCheckpoints take a long time. "
                         "Normally they take under 5 minutes.\n",
        "pages.md": "# Pages\n\n## Symptoms\n\nUsers see 404 errors on a pages domain "
                    "(e.g. https://pages.example.io). From another address it may work.\n\n"
                    "This may be one bad instance. Since the balancer pins clients by address, "
                    "only some users see it.\n",
        "lag.md": "# Lag\n\n## Symptoms\n\nReplicas fall behind. Alerts will be late.\n",
        "clock.md": "# Clock\n\n## Symptoms\n\nRows come back out of order. As such, clients "
                    "in two time zones disagree.\n",
        "expand.md": "# Expand\n\n## Symptoms\n\nThe UI shows the volume expanded. However, "
                     "the mounted volume keeps its old size.\n\nIt takes a minute to reach "
                     "the endpoint from a node.\n"})
    assert sorted(n.text for c in tree.categories for n in c.symptoms) == [
        "Alerts will be late", "Checkpoints take a long time",
        "From another address it may work",
        # A contrast is the symptom; a paragraph's own "it" is the situation's.
        "However, the mounted volume keeps its old size",
        "It takes a minute to reach the endpoint from a node", "Replicas fall behind",
        "Rows come back out of order",
        "The UI shows the volume expanded",
        "The heartbeat alert stops arriving",
        "Users see 404 errors on a pages domain (e.g. https://pages.example.io)"]


def test_a_message_quoted_under_a_lead_in_is_the_symptom(make_index: MakeIndex) -> None:
    """"You see alerts like" and the alert's text in a code block: the text is what the
    engineer sees, and what they paste."""
    message = ("@channel www.example.org HTTP SSL Certificate WARNING - Certificate "
               "'www.example.org' will expire on Mon Jan 1 00:00:00 2029")
    tree = tree_of(make_index, {
        "certs.md": f"# Certificates\n\n## Symptoms\n\nYou see alerts like\n\n```\n{message}"
                    "\nsecond line\n```\n\n## Fix\n\nRenew it.\n",
        "noise.md": "# Noise\n\n## Symptoms\n\nRun this to see them:\n\n```bash\n"
                    "kubectl get events\n```\n",
        "shell.md": "# Shell\n\n## Symptoms\n\nInside the pod you will see:\n\n```\n"
                    "/ # cd data\nls: cannot open directory\n```\n",
        "mount.md": "# Mount\n\n## Symptoms\n\nAttaching the volume fails and the pod stays "
                    "Pending. The kubelet log shows:\n\n```\nMount failed: exit status 32\n"
                    "```\n"})
    assert sorted(n.text for c in tree.categories for n in c.symptoms) == sorted([
        message.removeprefix("@channel "),  # who the chat called is not what was seen
        # What the page states comes first; the message quoted after it is its example.
        "Attaching the volume fails and the pod stays Pending"])
    matched = tree.match_symptoms("HTTP SSL Certificate WARNING - Certificate "
                                  "'api.example.org' will expire on Tue Feb 2 2029")
    assert matched.keys is not None and len(matched.keys) == 1
    (key,) = matched.keys
    assert [e.target.path for e in tree.scenarios_for(key)] == ["certs.md"]


def test_a_quoted_log_lines_label_is_its_message(make_index: MakeIndex) -> None:
    """Longhorn's articles quote the log line itself: the sidebar showed its timestamp."""
    line = ('time="2030-01-02T03:04:05Z" level=error msg="Failed to resize the mounted '
            'filesystem" error="rpc error: code = InvalidArgument"')
    klog = "2030-01-02T03:04:05.1Z E0102 03:04:05.123456 17 mount_linux.go:195] Mount failed"
    tree = tree_of(make_index, {
        "resize.md": f"# Resize\n\n## Symptoms\n\nThe log shows:\n\n```\n{line}\n```\n",
        "mount.md": f"# Mount\n\n## Symptoms\n\nThe kubelet logs:\n\n```\n{klog}\n```\n"})
    shown = {n.text: n.label for c in tree.categories for n in c.symptoms}
    assert shown == {line: "Failed to resize the mounted filesystem", klog: "Mount failed"}


def test_a_knowledge_base_articles_problem_is_what_the_engineer_sees(
        make_index: MakeIndex) -> None:
    """ScyllaDB's troubleshooting pages, like many teams' KB articles, are written as
    Issue (or Phenomena, or Problem) / Problem (the cause) / How to Verify / Solution:
    the first of those states what is seen. None reached the sidebar."""
    tree = tree_of(make_index, {
        "kb/disk.rst": "Critical disk use\n=================\n\nIssue\n^^^^^\n\n"
                       "Writes fail with a ``rejected write mutation`` error.\n\n"
                       "Problem\n^^^^^^^\n\nScaling out failed, so the disk filled.\n\n"
                       "Solution\n^^^^^^^^\n\nAdd nodes.\n",
        "kb/start.md": "# Node will not start\n\n## Problem\n\nThe process stopped hours ago "
                       "and it won't start.\n\n## How to Verify\n\nRead the log.\n\n"
                       "## Solution\n\nRestore the data folder.\n",
        "design/queue.md": "# Queue redesign\n\n## Problem\n\nThe queue is one table.\n\n"
                           "## Proposal\n\nSplit it.\n"})
    found = {(n.text, e.target.title) for c in tree.categories for n in c.symptoms
             for e in tree.scenarios_for(n.key)}
    assert found == {("Writes fail with a rejected write mutation error", "Critical disk use"),
                     ("The process stopped hours ago and it won't start",
                      "Node will not start")}


@pytest.mark.parametrize(("alert", "meaning", "category"), [
    ("CephFSStaleSubvolume", "A subvolume has no replication peer.", "Storage and volumes"),
    ("KubeletDiskFull", "The kubelet's database of images grows.", "Storage and volumes"),
    ("etcdHighFsyncDurations", "Disk writes are slow.", "Latency and timeouts"),
    ("TLSCertificateExpiring", "A certificate expires in 7 days.", "Certificates and auth"),
    # "pods" as well as "pod": Sourcegraph's "less than 50% percentage pods available"
    ("ledger_pods_available", "Fewer than half of the pods are available.",
     "Deployments and pods"),
])
def test_categories_come_from_the_alert_name_first(make_index: MakeIndex, alert: str,
                                                   meaning: str, category: str) -> None:
    index, _ = make_index({f"{alert}.md": alert_page(alert, meaning)})
    tree = TriageTree.load(index)
    assert [c.name for c in tree.categories] == [category]


def test_other_holds_few_symptoms_of_an_alert_library(alert_tree: TriageTree) -> None:
    counts = {c.name: len(c.symptoms) for c in alert_tree.categories}
    assert counts.get(OTHER, 0) / sum(counts.values()) <= 0.15


def test_grouping_by_component_follows_the_library_folders(alert_tree: TriageTree) -> None:
    tree = TriageTree.load(alert_tree.index, "component")
    groups = {c.name: {a for n in c.symptoms for a in n.alerts} for c in tree.categories}
    assert groups["odf"] == {"ODFDiskUtilizationHigh", "KMSServerConnectionAlert"}
    assert groups["etcd"] == {"etcdMembersDown"}


def test_typed_words_match_symptoms_alert_words_and_synonyms(make_index: MakeIndex) -> None:
    index, _ = make_index({
        "storage/VolumeFull.md": alert_page("VolumeFull", "A volume got full."),
        "cache/RedisOutOfMemory.md": alert_page("RedisOutOfMemory", "Redis runs out of memory "
                                                "on the disk cache nodes and evicts keys."),
        "etcd/etcdMembersDown.md": alert_page("etcdMembersDown", "Members are lost."),
        "api/KubeAPIDown.md": alert_page("KubeAPIDown", "The API has disappeared."),
    })
    tree = TriageTree.load(index)

    def shown(text: str) -> set[str]:
        keys = tree.match_symptoms(text).keys or set()
        return {a for k in keys for a in tree.by_key[k].alerts}

    assert shown("disk full") == {"VolumeFull"}
    assert shown("etcd members down") == {"etcdMembersDown"}
    assert "KubeAPIDown" in shown("api unreachable")


def test_notifications_of_each_sender_are_read_with_their_labels() -> None:
    slack = ("[FIRING:2] KubePodCrashLooping (payments warning)\n*Alert:* Pod is crash looping\n"
             "*Labels:*\n - alertname = KubePodCrashLooping\n - namespace = payments\n"
             " - pod = api-7d9\n*Labels:*\n - alertname = etcdNoLeader\n - job = etcd\n")
    assert [(a.name, a.labels) for a in parse_notification(slack)] == [
        ("KubePodCrashLooping", {"namespace": "payments", "pod": "api-7d9"}),
        ("etcdNoLeader", {"job": "etcd"})]
    webhook = json.dumps({"status": "firing", "commonLabels": {"severity": "critical"},
                          "alerts": [{"labels": {"alertname": "TargetDown", "job": "node"}}]})
    assert [(a.name, a.labels) for a in parse_notification(webhook)] == [
        ("TargetDown", {"severity": "critical", "job": "node"})]
    pagerduty = "[FIRING:1] CephMonQuorumAtRisk (instance=10.0.0.4:9283 namespace=storage)"
    assert parse_notification(pagerduty)[0].labels == {"instance": "10.0.0.4:9283",
                                                       "namespace": "storage"}
    assert [a.name for a in parse_notification("node_exporter_down")] == ["node_exporter_down"]
    opsgenie = "Alert: HighErrorRate\nPriority: P1\nSource: Prometheus"
    assert [a.name for a in parse_notification(opsgenie)] == ["HighErrorRate"]
    # A summary opening with a brand's name is a sentence, not an alert; a name, then where.
    assert parse_notification("Summary: GitHub API rate limit nearly used\n") == []
    assert [a.name for a in parse_notification("Summary: DiskFullSoon on db-1\n")] == [
        "DiskFullSoon"]


def typed_alert_page(title: str, purpose: str) -> str:
    """A runbook its front matter calls an alert's, in the Purpose / User Impact /
    Instructions to Fix template some teams' Jekyll sites use."""
    return (f"---\ntitle: {title}\ntype: Alert\nservice: queue\n---\n\n## Purpose\n\n{purpose}\n\n"
            "## Technical Details\n\nThe worker checks every minute.\n\n"
            "## User Impact\n\nMessages are delayed.\n\n"
            "## Instructions to Fix\n\n1. Check the consumer lag dashboard.\n"
            "2. Restart the stuck consumer.\n")


def test_a_runbook_typed_as_an_alert_is_in_the_sidebar_under_its_title(
        make_index: MakeIndex) -> None:
    index, _ = make_index({
        "queue/Runbook_Queue_Consumer_Stalled.md": typed_alert_page(
            "Queue Consumer Stalled", "The queue consumer stopped taking messages."),
        "queue/Runbook_Queue_Consumer.md": typed_alert_page(
            "Queue Consumer", "No queue consumer is connected."),
        "queue/notes.md": "---\ntitle: Queue notes\ntype: Informational\n---\n\n"
                          "## Purpose\n\nWhat the queue is for.\n"})
    tree = TriageTree.load(index)
    listed = sorted(a for c in tree.categories for n in c.symptoms for a in n.alerts)
    assert listed == ["Queue Consumer", "Queue Consumer Stalled"]
    symptoms = [n.text for c in tree.categories for n in c.symptoms]
    assert "The queue consumer stopped taking messages" in symptoms
    [target] = tree.match_alert("[FIRING:1] Queue Consumer Stalled (severity=critical)")
    assert target.path == "queue/Runbook_Queue_Consumer_Stalled.md"
    assert target.anchor == "purpose"
    # Its fix steps are the scenario's branches, as a Mitigation section's are.
    [scenario] = [s for s in tree.scenarios_for(
        next(n.key for c in tree.categories for n in c.symptoms
             if "Queue Consumer Stalled" in n.alerts))]
    assert "Restart the stuck consumer." in [label for label, _anchor in scenario.branches]


def test_a_pasted_name_of_several_words_opens_its_runbook_not_a_shorter_one() -> None:
    known = {"queue consumer", "queue consumer stalled", "disk full"}
    pasted = "FIRING [1] Queue Consumer Stalled - critical; also Disk Full on db-2"
    assert [a.name for a in parse_notification(pasted, known)] == [
        "Queue Consumer Stalled", "Disk Full"]
    assert [a.name for a in parse_notification("Queue Consumer", known)] == ["Queue Consumer"]


def test_two_chinese_symptoms_naming_the_same_object_stay_apart(make_index: MakeIndex) -> None:
    """Only their ASCII words ("Pod") were compared: the two became one symptom."""
    tree = tree_of(make_index, {
        "zh/PodNotReady.md": chinese_alert_page("PodNotReady", "Pod 长时间处于未就绪状态。"),
        "zh/PodRestarting.md": chinese_alert_page("PodRestarting", "Pod 在一小时内重启过于频繁。"),
    })
    nodes = [n for c in tree.categories for n in c.symptoms]
    assert sorted(n.text for n in nodes) == ["Pod 在一小时内重启过于频繁",
                                             "Pod 长时间处于未就绪状态"]
    assert all(len(tree.scenarios_for(n.key)) == 1 for n in nodes)


ALERTS_FOLDER = {  # GOV.UK's developer docs keep one alert per page under manual/alerts
    "manual/alerts/CheckoutErrorRatioHigh.html.md": (
        "---\ntitle: Checkout error ratio high\n---\n\nDashboards: see Grafana.\n\n"
        "## Description\n\nMore than one checkout request in ten fails.\n\n## Impact\n\n"
        "Buyers cannot pay.\n\n## Potential resolution steps\n\nRoll back the last deploy.\n"),
    "manual/alerts/ledger-sync-stalled.html.md": (
        "---\ntitle: 'Ledger: sync stalled'\n---\n\nThe nightly ledger sync has not finished "
        "for six hours. Reports will be out of date.\n\n## Restart the sync\n\nRun the job "
        "again.\n\n## Escalate\n\nCall finance on-call.\n"),
    "manual/alerts/README.md": "The alerts our monitoring sends, one page each.\n",
    "manual/alerts/chat-alerts.md": (
        "The chat service's alerts.\n\n## Alerts\n\n### ChatQueueBacklog\n\nThis alert fires "
        "when answers wait over a minute.\n\n### ChatHighErrorRate\n\nThis alert fires when "
        "one answer in twenty fails.\n"),
    "manual/deploying.md": "Deploying takes ten minutes.\n\n## Roll back\n\nRun rollback.\n",
}


@pytest.fixture
def alerts_folder_tree(make_index: MakeIndex) -> TriageTree:
    index, _ = make_index(ALERTS_FOLDER)
    return TriageTree.load(index)


def test_each_page_of_an_alerts_folder_is_an_alert_in_the_sidebar(
        alerts_folder_tree: TriageTree) -> None:
    shown = by_alert(alerts_folder_tree)
    assert {alert: node.text for alert, node in shown.items()} == {
        "CheckoutErrorRatioHigh": "More than one checkout request in ten fails",
        "Ledger: sync stalled": "The nightly ledger sync has not finished for six hours",
        "ChatQueueBacklog": "This alert fires when answers wait over a minute",
        "ChatHighErrorRate": "This alert fires when one answer in twenty fails",
    }  # not the folder's README, nor a page outside the folder
    [ledger] = alerts_folder_tree.scenarios_for(shown["Ledger: sync stalled"].key)
    assert ledger.target.anchor == ""  # its opening text says what it is: open at the top
    assert [label for label, _ in ledger.branches] == ["Restart the sync", "Escalate"]
    [checkout] = alerts_folder_tree.scenarios_for(shown["CheckoutErrorRatioHigh"].key)
    assert [label for label, _ in checkout.branches] == ["Potential resolution steps"]


@pytest.mark.parametrize(("pasted", "path"), [
    ("[FIRING:1] CheckoutErrorRatioHigh (env=prod)",
     "manual/alerts/CheckoutErrorRatioHigh.html.md"),
    ("ledger-sync-stalled", "manual/alerts/ledger-sync-stalled.html.md"),
    ("Ledger: sync stalled", "manual/alerts/ledger-sync-stalled.html.md"),
])
def test_a_page_of_an_alerts_folder_opens_by_its_file_name_or_title(
        alerts_folder_tree: TriageTree, pasted: str, path: str) -> None:
    assert [t.path for t in alerts_folder_tree.match_alert(pasted)] == [path]


INCIDENT_PLAYBOOK = (  # as AWS's incident response playbooks list the findings they answer
    "# IRP-Exfil: Data leaving an account\n\n## Overview\n\nUse this when data may be leaving.\n\n"
    "### Findings this playbook answers\n\n| Source | Finding / Event Type | Severity |\n"
    "|---|---|---|\n"
    "| Amazon GuardDuty | `Exfiltration:S3/AnomalousBehavior` | HIGH |\n"
    "| Amazon GuardDuty | `Impact:EC2/PortSweep` | MEDIUM |\n"
    "| CloudWatch | Bytes out of the VPC over threshold | — |\n\n"
    "## Part 1 — Contain\n\nBlock the bucket policy.\n")


def test_a_playbooks_table_of_findings_puts_each_finding_on_the_playbook(
        make_index: MakeIndex) -> None:
    tree = tree_of(make_index, {"playbooks/IRP-Exfil.md": INCIDENT_PLAYBOOK})
    [category] = tree.categories
    [node] = category.symptoms
    # One symptom for the playbook, named by it; its findings answer to it. Under Security,
    # though "Impact:EC2/PortSweep" alone says nothing a category knows.
    assert (category.name, node.label) == ("Security", "IRP-Exfil: Data leaving an account")
    assert set(node.alerts) == {"Exfiltration:S3/AnomalousBehavior", "Impact:EC2/PortSweep"}
    event = guardduty_event("Impact:EC2/PortSweep", severity=5)
    [target] = tree.match_alert(event)
    assert (target.path, target.anchor, target.severity) == (
        "playbooks/IRP-Exfil.md", "irp-exfil-data-leaving-an-account", "Medium")
    assert tree.match_alert("Bytes out of the VPC over threshold") == []


def test_an_alert_page_run_through_erb_answers_to_its_file_name(make_index: MakeIndex) -> None:
    tree = tree_of(make_index, {"manual/alerts/search-api-queue-stuck.html.md.erb": (
        "---\ntitle: Search API queue stuck\n---\n\nNo document was indexed for an hour. "
        "<%= partial 'dashboards' %>\n\n## Restart the workers\n\nRestart them.\n")})
    [target] = tree.match_alert("search-api-queue-stuck")
    assert (target.path, target.title) == ("manual/alerts/search-api-queue-stuck.html.md.erb",
                                           "Search API queue stuck")


def test_a_page_of_alerts_named_in_words_in_an_alerts_folder(make_index: MakeIndex) -> None:
    """GOV.UK's whitehall-scheduled-publishing: one page, two alerts, headed in words."""
    tree = tree_of(make_index, {"manual/alerts/orders.md": (
        "## Alertmanager\n\nThe orders app has these alertmanager rules.\n\n"
        "## Orders are stuck in the queue\n\n[This alert][1] means orders wait over an hour.\n\n"
        "## Order emails not sent\n\nThis alert fires when no email left for a day.\n\n"
        "## Restarting the workers\n\nThe alert clears once they run.\n\n[1]: https://x.test\n")})
    assert sorted(n.alerts[0] for c in tree.categories for n in c.symptoms) == [
        "Order emails not sent", "Orders are stuck in the queue"]
    [target] = tree.match_alert("Orders are stuck in the queue")
    assert target.anchor == "orders-are-stuck-in-the-queue"


SERVICE_ALERTS = (  # as Sourcegraph's generated alerts reference heads and describes each alert
    "# Alerts reference\n\nEvery alert our monitoring fires, and what to do next.\n\n"
    "## billing: queue_depth_high\n\n<p class=\"subtitle\">invoices waiting</p>\n\n"
    "**Descriptions**\n\n"
    "- <span class=\"badge badge-warning\">warning</span> billing: 500+ queued invoices for 10m\n"
    "- <span class=\"badge badge-critical\">critical</span> billing: 5000+ queued invoices "
    "for 10m\n\n"
    "**Next steps**\n\n- **Check the consumers** with `billing-ctl consumers`.\n"
    "- **Silence this alert:** add it to the silenced list:\n\n```json\n"
    "[\"warning_billing_queue_depth_high\"]\n```\n\n"
    "## billing: container_cpu_usage\n\n**Descriptions**\n\n"
    "- <span class=\"badge badge-warning\">warning</span> billing: 95%+ container cpu usage\n\n"
    "**Next steps**\n\n- Raise the CPU limit of the billing container.\n\n"
    "## ledger: container_cpu_usage\n\n**Descriptions**\n\n"
    "- <span class=\"badge badge-warning\">warning</span> ledger: 95%+ container cpu usage\n\n"
    "**Next steps**\n\n- Raise the CPU limit of the ledger container.\n\n"
    "## ledger: connections\n\n**Descriptions**\n\n"  # a name of one word, or with a hyphen
    "- <span class=\"badge badge-critical\">critical</span> ledger: no connection 'open'\n\n"
    "## ledger: ledger-store_up\n\n**Descriptions**\n\n"
    "- <span class=\"badge badge-critical\">critical</span> ledger: ledger-store down for 1m\n")


@pytest.fixture
def service_alerts(make_index: MakeIndex) -> TriageTree:
    return tree_of(make_index, {"observability/alerts.md": SERVICE_ALERTS,
                                "config/limits.md": "# Limits\n\n## api: rate_limit\n\n"
                                "The requests a client may make per minute.\n"})


def test_an_alerts_reference_of_services_gives_one_alert_per_heading(
        service_alerts: TriageTree) -> None:
    nodes = by_alert(service_alerts)
    # Each alert once, labelled by what its notification says (the first description); a
    # configuration heading of the same shape, saying nothing of alerts, is not one.
    assert set(nodes) == {"billing: queue_depth_high", "billing: container_cpu_usage",
                          "ledger: container_cpu_usage", "ledger: connections",
                          "ledger: ledger-store_up"}
    assert nodes["billing: queue_depth_high"].label == "billing: 500+ queued invoices for 10m"
    [entry] = service_alerts.scenarios_for(nodes["billing: queue_depth_high"].key)
    assert (entry.target.anchor, entry.target.severity) == ("billing-queue_depth_high",
                                                             "Critical")


@pytest.mark.parametrize("pasted", [
    "critical_billing_queue_depth_high",  # Prometheus's name for it: level, service, name
    "billing: queue_depth_high",
    # The notification: its title is a description, its text names the alert and service.
    "[CRITICAL] billing: 5000+ queued invoices for 10m\nCritical alert 'queue_depth_high' is "
    "firing for service 'billing' (payments-team).\nFor possible solutions, see "
    "https://docs.example.test/alerts#billing-queue-depth-high",
    "[WARNING] billing: 500+ queued invoices for 10m",
    json.dumps({"status": "firing", "commonLabels": {
        "level": "critical", "service_name": "billing", "name": "queue_depth_high",
        "description": "billing: 5000+ queued invoices for 10m"}}),
])
def test_each_form_of_a_services_alert_opens_its_section(service_alerts: TriageTree,
                                                         pasted: str) -> None:
    [match] = service_alerts.paste(pasted)
    assert [(t.path, t.anchor) for t in match.targets] == [
        ("observability/alerts.md", "billing-queue_depth_high")]


def test_an_alert_name_two_services_share_opens_the_named_services_section(
        service_alerts: TriageTree) -> None:
    [target] = service_alerts.match_alert(
        "Warning alert 'container_cpu_usage' is firing for service 'ledger'.")
    assert target.anchor == "ledger-container_cpu_usage"
    [target] = service_alerts.match_alert("critical_ledger_ledger-store_up")
    assert target.anchor == "ledger-ledger-store_up"
    [target] = service_alerts.match_alert("[CRITICAL] ledger: no connection 'open'")
    assert target.anchor == "ledger-connections"  # a description ending in a quote
    assert service_alerts.match_alert("api: rate_limit") == []


ALERT_NAME_HEADINGS = (  # kubernetes-mixin's runbook.md, which many teams copy
    "# Cluster alert runbooks\n\nWhat each alert means.\n\n"
    "### Group Name: \"cluster-apps\"\n\n"
    "##### Alert Name: \"ClusterPodRestarting\"\n"
    "+ *Message*: `{{ $labels.namespace }}/{{ $labels.pod }} restarts "
    "{{ printf \"%.2f\" $value }} times a minute.`\n"
    "+ *Severity*: critical\n+ *Runbook*: [Link](https://runbooks.example.test/restarts)\n\n"
    "##### Alert Name: ClusterQueueStalled\n"
    "+ *Message*: `The job queue of {{$labels.job}} has not moved for 15 minutes.`\n"
    "+ *Severity*: warning\n"
    "+ *Action*: Check the workers with `kubectl get pods -l app=worker`.\n\n"
    "##### Alert: `ClusterDiskFull`\n+ *Summary*: A node's disk is over 95% full.\n")


def test_headings_that_say_alert_name_give_one_alert_each(make_index: MakeIndex) -> None:
    tree = tree_of(make_index, {"runbook.md": ALERT_NAME_HEADINGS})
    nodes = by_alert(tree)
    assert set(nodes) == {"ClusterPodRestarting", "ClusterQueueStalled", "ClusterDiskFull"}
    # The Message is what happens, its template's labels as placeholders a reader knows.
    assert nodes["ClusterPodRestarting"].text == "<namespace>/<pod> restarts N times a minute"
    assert nodes["ClusterQueueStalled"].text.startswith("The job queue of <job> has not moved")
    [target] = tree.match_alert("[FIRING:1] ClusterPodRestarting (payments/api-7f9 critical)")
    assert (target.anchor, target.severity) == ("alert-name-clusterpodrestarting", "Critical")
    [target] = tree.match_alert("ClusterQueueStalled")
    assert target.anchor == "alert-name-clusterqueuestalled"


RULES_PAGE = (  # as monitoring.mixins.dev quotes each alert's rule under its heading
    "---\ntitle: queue\n---\n\n## Alerts\n\n### queue-alerts\n\n##### QueueWorkersDown\n\n"
    "{{< code lang=\"yaml\" >}}\nalert: QueueWorkersDown\nannotations:\n"
    "  description: No worker of {{$labels.queue}} has taken a message for\n"
    "    {{ $value | humanizeDuration }}.\n  summary: Queue workers are down.\n"
    "expr: |\n  sum(rate(queue_taken_total[5m])) == 0\nfor: 10m\nlabels:\n"
    "  severity: critical\n{{< /code >}}\n\n"
    "##### QueueBacklogGrowing\n\n```yaml\nalert: QueueBacklogGrowing\nannotations:\n"
    "  description: The backlog of {{$labels.queue}} grew for an hour.\nlabels:\n"
    "  severity: warning\n```\n\n"
    "##### QueueDiskFull\nThe queue's disk is full and producers are refused.\n\n"
    "```yaml\nalert: QueueDiskFull\nannotations:\n  summary: Disk full.\nlabels:\n"
    "  severity: critical\n```\n")


def test_an_alerts_quoted_rule_says_what_happens_and_how_severe(make_index: MakeIndex) -> None:
    tree = tree_of(make_index, {"content/queue/_index.md": RULES_PAGE})
    said = {name: node.text for name, node in by_alert(tree).items()}
    # The rule's summary, else its description with the template's labels as placeholders;
    # what the page itself says comes first.
    assert said == {"QueueWorkersDown": "Queue workers are down",
                    "QueueBacklogGrowing": "The backlog of <queue> grew for an hour",
                    "QueueDiskFull": "The queue's disk is full and producers are refused"}
    assert [t.severity for t in tree.match_alert("QueueWorkersDown")] == ["Critical"]
    assert [t.severity for t in tree.match_alert("QueueDiskFull")] == ["Critical"]


OLDER_FINDING_PLAYBOOK = (  # AWS's older GuardDuty playbook template
    "# Incident Response Playbook Template\n\n## **Incident Type**\n\n"
    "GuardDuty Finding: Execution-EC2:MaliciousFile\n\n## **Summary**\n\n"
    "### **This Incident Type**\n\nA GuardDuty finding is a potential security issue.\n\n"
    "**[Execution:EC2/MaliciousFile](https://docs.example.test/findings#malicious-file)**\n\n"
    "**A malicious file was found on an instance.**<br><br>\n\n"
    "This finding means a scan found malware.\n\n## Part 1: Contain\n\nIsolate it.\n")


def test_a_finding_named_in_a_paragraph_of_its_own_opens_the_playbook_there(
        make_index: MakeIndex) -> None:
    tree = tree_of(make_index, {"playbooks/malware.md": OLDER_FINDING_PLAYBOOK})
    [target] = tree.match_alert(guardduty_event("Execution:EC2/MaliciousFile"))
    assert (target.path, target.anchor) == ("playbooks/malware.md", "this-incident-type")
    [node] = [n for c in tree.categories for n in c.symptoms]
    assert node.text == "A malicious file was found on an instance"


def test_a_notifications_runbook_link_comes_before_its_other_addresses() -> None:
    from viewer.core.triage.alerts import runbook_links

    text = ("Source: https://grafana.example.test/alerting/list\n"
            "Runbook: https://wiki.example.test/ops/disk-full.\n"
            "runbook_url=https://wiki.example.test/ops/disk-full, again")
    links = runbook_links(text)
    assert links.every == ["https://wiki.example.test/ops/disk-full",
                           "https://grafana.example.test/alerting/list"]
    assert links.said == ["https://wiki.example.test/ops/disk-full"]  # not the dashboard


def test_alerts_named_in_the_front_matter_open_the_page(make_index: MakeIndex) -> None:
    """An author ties alerts to a runbook titled otherwise: ``alerts:`` in its front matter."""
    tree = tree_of(make_index, {
        "api/errors.md": ("---\nalerts: [HighErrorRate5xx, ApiErrorsBurning]\n---\n"
                          "# API errors\n\nThe API answers 5xx to many requests.\n\n"
                          "## Step 1: Check the last deploy\n\nRoll it back.\n"),
        "db/pool.md": "---\nalert: PgPoolExhausted\n---\n# Connection pool\n\nClients wait.\n",
        "theme.md": "---\nalerts:\n  enabled: true\n---\n# Site banner\n\nA theme setting.\n"})
    [target] = tree.match_alert("[FIRING:1] ApiErrorsBurning (api prod)")
    assert (target.path, target.anchor) == ("api/errors.md", "api-errors")
    nodes = by_alert(tree)
    assert nodes["HighErrorRate5xx"].label == (
        "HighErrorRate5xx: The API answers 5xx to many requests")
    [entry] = tree.scenarios_for(nodes["HighErrorRate5xx"].key)
    assert [label for label, _anchor in entry.branches] == ["Step 1: Check the last deploy"]
    assert [t.path for t in tree.match_alert("PgPoolExhausted")] == ["db/pool.md"]
    assert set(nodes) == {"HighErrorRate5xx", "PgPoolExhausted"}  # a theme's setting: none
    from viewer.core.render.page import page_html
    from viewer.core.rendering import render_text

    shown = page_html(render_text(  # the page's summary line names them
        "---\nalerts: [HighErrorRate5xx, ApiErrorsBurning]\n---\n# API errors\n", "a.md"))
    assert "Alerts:" in shown and "HighErrorRate5xx, ApiErrorsBurning" in shown
    theme = page_html(render_text("---\nalerts:\n  enabled: true\n---\n# Banner\n", "t.md"))
    assert "Alerts:" not in theme and "enabled" not in theme


def test_an_alert_named_in_the_pages_opening_words_opens_the_page(
        make_index: MakeIndex) -> None:
    """MoJ's cloud platform runbooks open with the alert they answer, in prose: "When you
    see a `X` alert in #alarms, it means...", '"Y" alerts are sent to the channel'."""
    tree = tree_of(make_index, {
        "source/operator.html.md.erb": (
            "---\ntitle: Investigate OperatorReconcileErrors\n---\n\n"
            "# <%= current_page.data.title %>\n\nWhen you see a `OperatorReconcileErrors` "
            "alert in the `#low-alarms` channel, it means that the operator cannot apply "
            "the rules.\n\n## Troubleshooting\n\nRead its logs.\n"),
        "source/dns.html.md.erb": (
            "---\ntitle: External DNS errors\n---\n\n# <%= current_page.data.title %>\n\n"
            "When there are errors in the logs, \"ErrorsInExternalDNS\" alerts are sent to "
            "the channel.\n\nIf we see a Cert Manager Failed alert, read the other page.\n"),
        "source/guide.html.md.erb": (
            "---\ntitle: Upgrade guide\n---\n\n# <%= current_page.data.title %>\n\nPlan the "
            "upgrade.\n\n## During the upgrade\n\nIf you see a KubeNodeNotReady alert, wait "
            "for the node.\n")})
    [target] = tree.match_alert("[FIRING:1] OperatorReconcileErrors (monitoring)")
    assert (target.path, target.anchor) == ("source/operator.html.md.erb",
                                            "investigate-operatorreconcileerrors")
    assert [t.path for t in tree.match_alert("ErrorsInExternalDNS")] == [
        "source/dns.html.md.erb"]
    nodes = by_alert(tree)
    assert nodes["OperatorReconcileErrors"].label == (
        "OperatorReconcileErrors: The operator cannot apply the rules")
    # A mention further down, or a name that is a phrase, is not the page's alert.
    assert set(nodes) == {"OperatorReconcileErrors", "ErrorsInExternalDNS"}
    assert tree.match_alert("KubeNodeNotReady") == []


def test_a_page_of_alert_responses_lists_each_section_as_an_alert(
        make_index: MakeIndex) -> None:
    """The PaaS team manual's "Responding to alerts": a section per alert, named in words."""
    tree = tree_of(make_index, {
        "support/responding.md": (
            "# Responding to alerts\n\nTips for support.\n\n## CPU credits\n\nThese alerts "
            "tell us when an instance has used up its CPU credits.\n\n## CDN broker healthy\n\n"
            "The broker's health check fails.\n\n### Find the error\n\nCurl it.\n"),
        "team/aws.md": "# Responding to AWS alerts\n\nAWS sends alerts to the channel.\n",
        "guide/upgrade.md": "# Upgrade\n\n## CPU credits\n\nNot an alert here.\n"})
    nodes = by_alert(tree)
    assert set(nodes) == {"CPU credits", "CDN broker healthy"}
    assert nodes["CPU credits"].label == (
        "CPU credits: These alerts tell us when an instance has…")
    [target] = tree.match_alert("CDN broker healthy")
    assert (target.path, target.anchor) == ("support/responding.md", "cdn-broker-healthy")
    [entry] = tree.scenarios_for(nodes["CDN broker healthy"].key)
    assert [label for label, _anchor in entry.branches] == ["Find the error"]
