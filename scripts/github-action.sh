#!/usr/bin/env bash
# Runs pypi-reserve for action.yml. Inputs arrive as PYPI_RESERVE_* environment
# variables (never interpolated into a script); the token arrives as PYPI_TOKEN
# and is read by the tool from the environment, never passed as an argument.
#
# Every exit path sets the step's outputs (exit-code always; the counts and
# `report` only when the run wrote its report), so a later step never reads a
# count that no run produced.
set -uo pipefail

cli="${GITHUB_ACTION_PATH:?}/dist/pypi-reserve.cjs"
report=''
# Set once the tool has run: only then can the report be this run's.
ran=false

# Workflow-command escaping (GitHub's toolkit rules): an input echoed in an
# annotation cannot end the command early or start a new one.
annotation_data() {
  local text="$1"
  text="${text//%/%25}"; text="${text//$'\r'/%0D}"; text="${text//$'\n'/%0A}"
  printf '%s' "$text"
}

write_outputs() {
  local code="$1"
  {
    echo "exit-code=$code"
    if [ "$ran" = true ] && [ -f "$report" ]; then
      echo "report=$report"
      node -e '
        const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).summary;
        const n = (k) => s[k] ?? 0;
        console.log(`total=${n("total")}`);
        console.log(`uploaded=${n("uploaded")}`);
        console.log(`reserved=${n("reserved")}`);
        console.log(`taken=${n("taken")}`);
        console.log(`deferred=${n("deferred")}`);
        console.log(`failed=${n("failed") + n("prohibited") + n("too-similar") + n("unknown") + n("filename-reused")}`);
      ' "$report"
    else
      # Empty, not 0: no run means no count, and "taken=0" would read as an all-clear.
      printf '%s=\n' report total uploaded reserved taken deferred failed
    fi
  } >> "${GITHUB_OUTPUT:-/dev/null}"
}

problems=0
input_error() {
  echo "::error title=pypi-reserve input::$(annotation_data "$1")"
  problems=$((problems + 1))
}

# Booleans are `true` or `false` in any letter case and nothing else: `yes`, `1`
# or `True ` (with a space) would otherwise be read as false and run for real.
# Sets the variable named by $3.
boolean_input() {
  local name="$1" value="$2"
  case "${value,,}" in
    true) printf -v "$3" true ;;
    false | '') printf -v "$3" false ;;
    *) input_error "input '$name' must be true or false, got '$value'"; printf -v "$3" false ;;
  esac
}

command="${PYPI_RESERVE_COMMAND:-reserve}"
case "$command" in
  reserve|check|watch) ;;
  *) input_error "input 'command' must be reserve, check or watch, got '$command'" ;;
esac
boolean_input dry-run "${PYPI_RESERVE_DRY_RUN:-false}" dry_run
boolean_input fail-on-deferred "${PYPI_RESERVE_FAIL_ON_DEFERRED:-false}" fail_on_deferred
if [ "$command" != reserve ] && [ "$dry_run" = true ]; then
  input_error "input 'dry-run' applies to command reserve only; $command never uploads"
fi
watch_state="${PYPI_RESERVE_WATCH_STATE:-.pypi-reserve/watch-state.json}"
case "$watch_state" in
  *$'\n'* | *$'\r'* | '') input_error "input 'watch-state' must be a path on one line" ;;
esac

report="${PYPI_RESERVE_REPORT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pypi-reserve-report.json}"
case "$report" in
  *$'\n'* | *$'\r'*) input_error "input 'report' must be a path on one line"; report='' ;;
  /*) ;;
  *) report="$PWD/$report" ;;
esac

if [ "$problems" -gt 0 ]; then
  write_outputs 2
  exit 2
fi

# A report left by an earlier step or run must not be read as this run's.
rm -f "$report"
mkdir -p "$(dirname "$report")"
args=("$command" --report "$report")

# Multi-line inputs: one value per line, blank lines ignored.
add_each() {
  local flag="$1" value="$2" line
  while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"; line="${line%"${line##*[![:space:]]}"}"
    [ -n "$line" ] && args+=("$flag" "$line")
  done <<< "$value"
}
# Account names: separated by white space, commas or line breaks.
add_words() {
  local flag="$1" word words=()
  IFS=$' \t\n\r,' read -r -d '' -a words <<< "$2"
  for word in "${words[@]}"; do [ -n "$word" ] && args+=("$flag" "$word"); done
}
add_one() {
  [ -n "$2" ] && args+=("$1" "$2")
}
add_one --config "${PYPI_RESERVE_CONFIG:-}"
add_each --names-file "${PYPI_RESERVE_NAMES_FILES:-}"
add_each --requirements "${PYPI_RESERVE_REQUIREMENTS:-}"
add_each --pyproject "${PYPI_RESERVE_PYPROJECT:-}"
add_each --from-index "${PYPI_RESERVE_FROM_INDEX:-}"
if [ -n "${PYPI_RESERVE_INDEX_CREDENTIALS:-}" ]; then
  export PYPI_RESERVE_INDEX_CREDENTIALS
  args+=(--index-credentials-env PYPI_RESERVE_INDEX_CREDENTIALS)
fi
add_one --repository "${PYPI_RESERVE_REPOSITORY:-}"
add_one --index-url "${PYPI_RESERVE_INDEX_URL:-}"
add_one --owner "${PYPI_RESERVE_OWNER:-}"
add_one --contact "${PYPI_RESERVE_CONTACT:-}"
add_one --url "${PYPI_RESERVE_URL:-}"
add_one --note "${PYPI_RESERVE_NOTE:-}"
add_words --account "${PYPI_RESERVE_ACCOUNT:-}"
# One organization name, taken whole: splitting it would pass several --organization flags.
add_one --organization "${PYPI_RESERVE_ORGANIZATION:-}"
if [ "$command" = reserve ]; then
  add_one --max-new "${PYPI_RESERVE_MAX_NEW:-}"
  [ "$dry_run" = true ] && args+=(--dry-run)
fi
if [ "$command" = watch ]; then
  # One poll per scheduled run; the state file is what actions/cache carries to the next.
  args+=(--once --state "$watch_state")
  add_one --feed-url "${PYPI_RESERVE_FEED_URL:-}"
fi
# An empty token input must not shadow TWINE_PASSWORD or .pypirc.
[ -z "${PYPI_TOKEN:-}" ] && unset PYPI_TOKEN

ran=true
node "$cli" "${args[@]}"
code=$?
write_outputs "$code"

# Names waiting for the quota are the normal state of a scheduled batch.
if [ "$code" = 3 ] && [ "$fail_on_deferred" != true ]; then
  exit 0
fi
exit "$code"
