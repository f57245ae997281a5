"""parliament over a list of files, as `parliament --files` does, but one policy's crash does not end the
run (parliament 1.6.4 raises on some real policies, e.g. a CloudFormation `Fn::Sub` principal) and the
AWS CLI's `{"PolicyVersion": {"Document": ...}}` envelope is unwrapped, so parliament checks the same
policies plimsoll does. Prints one line per finding, then a summary line on stderr.

    python parliament-files.py FILE...        (run with the Python that has parliament installed)
"""
import json
import sys

from parliament import analyze_policy_string, override_config
from pathlib import Path
import parliament

override_config(Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml")
findings = crashes = 0
for path in sys.argv[1:]:
    text = Path(path).read_text(errors="replace")
    try:
        document = json.loads(text)
        if isinstance(document, dict) and isinstance(document.get("PolicyVersion"), dict):
            text = json.dumps(document["PolicyVersion"].get("Document"))
    except ValueError:
        pass  # parliament reports MALFORMED_JSON itself
    try:
        policy = analyze_policy_string(text, path, include_community_auditors=True)
    except Exception as error:  # noqa: BLE001 - parliament's own EXCEPTION finding, as its CLI would crash
        crashes += 1
        print(f"EXCEPTION {path}: {type(error).__name__}")
        continue
    for finding in policy.findings:
        findings += 1
        print(f"{finding.issue} {path}")
print(f"parliament: {findings} findings, {crashes} policies it crashed on, {len(sys.argv) - 1} files",
      file=sys.stderr)
