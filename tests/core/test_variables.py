"""Placeholders in runbook commands: what is one, what never is, and how a value is copied."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from viewer.core.render.page import page_html
from viewer.core.rendering import render_text
from viewer.core.variables.catalog import alert_labels, blocks_in_section, filled_block
from viewer.core.variables.values import SECRET_MASK, VariableValues


def _names(text: str, path: str = "x.md") -> list[str]:
    return [v.name for v in render_text(text, path).variables]


def _bash(*lines: str) -> str:
    return "```bash\n" + "\n".join(lines) + "\n```\n"


@pytest.mark.parametrize(("code", "expected"), [
    (_bash("kubectl -n <my-namespace> get pvc <my-pvc>"), ["my_namespace", "my_pvc"]),
    (_bash("oc get pods --template='{{range .items}}{{.metadata.name}}{{end}}'"), []),
    (_bash("docker inspect -f '{{ .State.Status }}' web"), []),
    (_bash("echo '{{ $labels.instance }} is down'"), []),
    (_bash("cat <in.txt >/dev/null"), []),
    (_bash("cat <<EOF > /tmp/x", "body", "EOF"), []),
    (_bash("diff <(sort a) <(sort b)"), []),
    ("```console\n$ kubectl get svc\nNAME   TYPE   EXTERNAL-IP\nweb    LB     <none>\n```\n", []),
    (_bash("kubectl get svc  # EXTERNAL-IP shows <none> until ready"), []),
    (_bash("git commit --author='Ops <ops@example.com>'"), []),
    ("```java\nList<String> names = new ArrayList<>();\n```\n", []),
    ("```html\n<div class=\"x\"><span>hi</span></div>\n```\n", []),
    (_bash('kubectl logs -n "$NAMESPACE" ${POD_NAME}'), ["namespace", "pod_name"]),
    (_bash("echo $HOME $PATH $KUBECONFIG ${X:-fallback}"), []),
    (_bash("awk '{print $NF, $1}' file"), []),
    (_bash("export NS=payments", "kubectl get pods -n $NS"), []),
    (_bash("  MYPOD=<pod you saw>", "  oc logs pod/${MYPOD}"), ["pod_you_saw"]),
    ("```console\n$ NS=\"$(oc get ns -o name)\"\n$ oc get all -n \"${NS}\"\n```\n", []),
    (_bash("for host in a b; do ssh $host uptime; done"), []),
    (_bash("while read -r line; do echo $line; done < list"), []),
    ("```promql\nrate(http_requests_total{job=\"$job\"}[5m])\n```\n", []),
    # A log quoted for recognition ("If you see an error like below:"), MoJ's runbooks
    ("```\nlevel=info ts=2024-02-23T10:31:29Z msg=\"Invalid rule\"\nundefined variable "
     "\\\"$clusterId\\\"\n```\n", []),
    ("```text\nE1206 10:31:29.054 1 reflector.go:138] failed to list <pod-name>\n```\n", []),
    ("```text\nkubectl logs <pod-name> --since=2024-02-23T10:31:29Z\n```\n", ["pod_name"]),
    (_bash("2024-02-23T10:31:29Z is when <pod-name> failed"), ["pod_name"]),  # shell: read
])
def test_what_is_a_placeholder(code: str, expected: list[str]) -> None:
    assert _names(code) == expected


def test_an_angle_placeholder_naming_an_alert_label_binds_to_it_and_its_name_is_assigned() -> None:
    document = render_text(_bash("NODE_NAME='<value of instance label from alert>'",
                                 "oc debug node/$NODE_NAME"), "x.md")
    assert [(v.name, v.label) for v in document.variables] == [("instance", "instance")]
    values = VariableValues()
    values.take_labels(alert_labels("[FIRING:1] NodeDown (instance=node-7:9100 job=node)"))
    filled = filled_block(document, 0, values)
    assert filled.text == "NODE_NAME='node-7:9100'\noc debug node/$NODE_NAME"
    assert filled.missing == []


def test_spellings_fold_into_one_variable() -> None:
    document = render_text(_bash("kubectl get ns <namespace>", 'kubectl -n "$NAMESPACE" get po')
                           + "Run `kubectl get events -n {{ namespace }}`.\n"
                           "---\n", "x.md")
    assert [v.name for v in document.variables] == ["namespace"]
    assert document.variables[0].kinds == ["angle", "dollar"]


def test_declared_template_and_bracket_names_are_placeholders_only_when_declared() -> None:
    front = ("---\nvariables:\n  cluster:\n    description: Which cluster\n    default: prod-eu\n"
             "  token:\n    secret: true\n---\n")
    body = _bash("kubectl --context {{ cluster }} get nodes", "curl -H 'X-Token: [token]' [url]")
    document = render_text(front + body, "x.md")
    by_name = {v.name: v for v in document.variables}
    assert set(by_name) == {"cluster", "token"}  # [url] is not declared
    assert by_name["cluster"].default == "prod-eu" and by_name["token"].secret
    values = VariableValues()
    values.set("token", "s3cr3t")
    filled = filled_block(document, 0, values)
    assert filled.text == ("kubectl --context prod-eu get nodes\n"
                           "curl -H 'X-Token: s3cr3t' [url]")
    shown = page_html(document, values=values)
    assert "s3cr3t" not in shown and SECRET_MASK in shown


def test_a_value_is_quoted_for_where_it_sits_and_runs_as_one_word(tmp_path) -> None:  # type: ignore[no-untyped-def]
    hostile = "x; touch pwned; echo $(id) `id` \"'"
    document = render_text(_bash("printf '%s\\n' <value>", 'printf "%s\\n" "<value>"',
                                 "printf '%s\\n' '<value>'"), "x.md")
    values = VariableValues()
    values.set("value", hostile)
    filled = filled_block(document, 0, values)
    assert filled.text.splitlines()[0] == "printf '%s\\n' " + shlex.quote(hostile)
    result = subprocess.run(["bash", "-c", filled.text], capture_output=True, text=True,
                            cwd=tmp_path, timeout=10)
    assert result.stdout.splitlines() == [hostile] * 3
    assert not (tmp_path / "pwned").exists()


def test_copying_with_a_missing_value_keeps_the_placeholder_and_names_it() -> None:
    document = render_text(_bash("kubectl -n <namespace> delete pod <pod>"), "x.md")
    values = VariableValues()
    values.set("namespace", "checkout")
    filled = filled_block(document, 0, values)
    assert filled.text == "kubectl -n checkout delete pod <pod>"
    assert filled.missing == ["pod"]


def test_a_console_block_is_filled_without_its_prompts_and_output() -> None:
    document = render_text("```console\n$ kubectl -n <namespace> get pods\nNAME  READY\n"
                           "api   0/1\n```\n", "x.md")
    values = VariableValues()
    values.set("Namespace", "edge")
    assert filled_block(document, 0, values).text == "kubectl -n edge get pods"


def test_the_page_marks_filled_and_open_placeholders_and_says_where_a_value_came_from() -> None:
    document = render_text(_bash("kubectl -n <namespace> logs <pod>"), "x.md")
    values = VariableValues()
    values.take_labels({"namespace": "checkout"})
    shown = page_html(document, values=values)
    assert ('class="var-filled" href="var:namespace" title="namespace (alert label namespace)"'
            '>checkout</a>') in shown
    assert 'class="var-open" href="var:pod"' in shown and "&lt;pod&gt;</a>" in shown
    assert "\ue010" not in shown


def test_a_runbook_cannot_forge_a_marker() -> None:
    document = render_text("Text \ue010namespace\ue011<b>x</b>\ue012 here\n", "x.md")
    assert 'href="var:' not in page_html(document) and "\ue010" not in page_html(document)


def test_the_code_blocks_of_a_section_include_its_subsections() -> None:
    document = render_text("# T\n## Diagnosis\n### Logs\n" + _bash("a") + "### Events\n"
                           + _bash("b") + "## Mitigation\n" + _bash("c"), "x.md")
    assert blocks_in_section(document, "diagnosis") == [0, 1]
    assert blocks_in_section(document, "mitigation") == [2]


def test_scanning_is_linear_in_the_size_of_the_page() -> None:
    import time

    def seconds(n: int) -> float:
        text = _bash(*["kubectl -n <ns> get pod $POD '{{x}}' <in \"a" for _ in range(n)])
        started = time.perf_counter()
        render_text(text, "x.md")
        return time.perf_counter() - started

    seconds(100)
    small, large = min(seconds(300) for _ in range(3)), min(seconds(4800) for _ in range(2))
    assert large / max(small, 5e-3) < 40


def test_a_declared_alias_and_label_join_spellings_to_one_variable() -> None:
    front = ("---\nvariables:\n  - name: target\n    aliases: [target-node, host]\n"
             "    from_label: instance\n    choices: [a, b]\n---\n")
    document = render_text(front + _bash("ssh <target-node>", "ping $HOST"), "x.md")
    assert [(v.name, v.label, v.choices) for v in document.variables] == [
        ("target", "instance", ("a", "b"))]
    values = VariableValues()
    values.take_labels({"instance": "node-3"})
    assert filled_block(document, 0, values).text == "ssh node-3\nping node-3"
