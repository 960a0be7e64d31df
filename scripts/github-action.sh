#!/usr/bin/env bash
# Runs pypi-reserve for action.yml. Inputs arrive as PYPI_RESERVE_* environment
# variables (never interpolated into a script); the token arrives as PYPI_TOKEN
# and is read by the tool from the environment, never passed as an argument.
set -uo pipefail

cli="${GITHUB_ACTION_PATH:?}/dist/src/cli/main.js"
command="${PYPI_RESERVE_COMMAND:-reserve}"
case "$command" in
  reserve|check) ;;
  # The value is not echoed: an input must never be able to write a workflow command.
  *) echo "::error title=pypi-reserve::input 'command' must be reserve or check"; exit 2 ;;
esac

report="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pypi-reserve-report.json"
# A report left by an earlier step must not be read as this run's.
rm -f "$report"
args=("$command" --report "$report")

# Multi-line inputs: one value per line, blank lines ignored.
add_each() {
  local flag="$1" value="$2" line
  while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"; line="${line%"${line##*[![:space:]]}"}"
    [ -n "$line" ] && args+=("$flag" "$line")
  done <<< "$value"
}
[ -n "${PYPI_RESERVE_CONFIG:-}" ] && args+=(--config "$PYPI_RESERVE_CONFIG")
add_each --names-file "${PYPI_RESERVE_NAMES_FILES:-}"
add_each --requirements "${PYPI_RESERVE_REQUIREMENTS:-}"
add_each --pyproject "${PYPI_RESERVE_PYPROJECT:-}"
add_each --from-index "${PYPI_RESERVE_FROM_INDEX:-}"
if [ -n "${PYPI_RESERVE_INDEX_CREDENTIALS:-}" ]; then
  export PYPI_RESERVE_INDEX_CREDENTIALS
  args+=(--index-credentials-env PYPI_RESERVE_INDEX_CREDENTIALS)
fi
[ -n "${PYPI_RESERVE_REPOSITORY:-}" ] && args+=(--repository "$PYPI_RESERVE_REPOSITORY")
[ -n "${PYPI_RESERVE_OWNER:-}" ] && args+=(--owner "$PYPI_RESERVE_OWNER")
if [ "$command" = reserve ]; then
  [ -n "${PYPI_RESERVE_MAX_NEW:-}" ] && args+=(--max-new "$PYPI_RESERVE_MAX_NEW")
  [ "${PYPI_RESERVE_DRY_RUN:-false}" = true ] && args+=(--dry-run)
fi
# An empty token input must not shadow TWINE_PASSWORD or .pypirc.
[ -z "${PYPI_TOKEN:-}" ] && unset PYPI_TOKEN

node "$cli" "${args[@]}"
code=$?

{
  echo "exit-code=$code"
  echo "report=$report"
  if [ -f "$report" ]; then
    node -e '
      const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).summary;
      const n = (k) => s[k] ?? 0;
      console.log(`total=${n("total")}`);
      console.log(`uploaded=${n("uploaded")}`);
      console.log(`reserved=${n("reserved")}`);
      console.log(`taken=${n("taken")}`);
      console.log(`deferred=${n("deferred")}`);
      console.log(`failed=${n("failed") + n("prohibited") + n("too-similar") + n("unknown")}`);
    ' "$report"
  fi
} >> "${GITHUB_OUTPUT:-/dev/null}"

# Names waiting for the quota are the normal state of a scheduled batch.
if [ "$code" = 3 ] && [ "${PYPI_RESERVE_FAIL_ON_DEFERRED:-false}" != true ]; then
  exit 0
fi
exit "$code"
