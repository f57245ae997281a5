"""What `parliament --files A,B,...` does, in one process, for the benchmark: every policy analysed with
parliament's default auditors and printed as one line per finding. Two differences, both so that parliament
checks the same policies plimsoll does: one policy that crashes parliament (1.6.4 raises on some real
policies) is reported and the run goes on, where the CLI would stop; and the AWS CLI's
`{"PolicyVersion": {"Document": ...}}` envelope is unwrapped, as parliament's `--aws-managed-policies` mode
does. Unlike parliament 1.6.4's CLI it does not also append every policy to /tmp/parliament.log.

    python parliament_batch.py FILE...   (with the Python that has parliament installed)
"""

import json
import sys
from pathlib import Path

from parliament import analyze_policy_string


def policy_text(text: str) -> str:
    """The policy itself, out of the AWS CLI envelope when it is in one."""
    try:
        document = json.loads(text)
    except ValueError:
        return text  # parliament reports the malformed JSON itself
    if isinstance(document, dict) and isinstance(document.get("PolicyVersion"), dict):
        return json.dumps(document["PolicyVersion"].get("Document"))
    return text


def main(paths: list[str]) -> int:
    findings = crashes = 0
    for path in paths:
        text = policy_text(Path(path).read_text(errors="replace"))
        try:
            policy = analyze_policy_string(text, path)
        except Exception as error:  # noqa: BLE001 - one policy's crash must not end the run
            crashes += 1
            print(f"EXCEPTION - {path} - {type(error).__name__}: {error}")
            continue
        for finding in policy.findings:
            findings += 1
            print(f"{finding.issue} - {finding.detail} - {finding.location}")
    print(f"parliament: {findings} findings, {crashes} crashes, {len(paths)} files", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
