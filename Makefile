# The two commands of the README:
#   make run    set up, then start the assistant (Ctrl-C stops everything)
#   make test   set up, then run every test
SHELL := /bin/bash
PY := .venv/bin/python
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: run test test-fast lint image run-cluster system-packages run-packages setup knowledge train web validate nlu-eval nlu-dev answer-dev bench demo-data clean

run: setup run-packages knowledge train web
	$(PY) -m bot.launcher

test: setup system-packages knowledge train web
	bash scripts/run_tests.sh

# Several Rasa replicas on one machine (PostgreSQL, Redis lock store, nginx).
run-cluster: setup system-packages knowledge train web
	$(PY) -m bot.cluster

system-packages:
	bash scripts/install_system_packages.sh

# What `make run` needs from Debian: espeak-ng (kiosk read-aloud) and the report's CJK font.
run-packages:
	bash scripts/install_system_packages.sh run

setup:
	bash scripts/setup.sh

knowledge: setup
	$(PY) -m core.knowledge.loader

train: setup
	bash scripts/train.sh

web:
	@if [ -f scripts/build_web.sh ]; then bash scripts/build_web.sh; fi

# The labelled demo enterprises (示例……（演示数据）) for trying "查询我司信用等级",
# and a demo cohort (assessments, consent, plans) for the officers' cohort view.
demo-data: knowledge
	$(PY) scripts/import_enterprises.py knowledge/samples/enterprises_sample.csv
	$(PY) scripts/demo_cohort.py

validate: setup
	.venv/bin/rasa data validate

nlu-eval: setup
	$(PY) scripts/nlu_eval.py

nlu-dev: setup knowledge
	$(PY) scripts/nlu_dev_eval.py --errors

# Answer-level development sets (tests/answer_dev/): does the reply contain the
# asked fact? The real answering code, no servers, about a minute.
answer-dev: setup knowledge
	$(PY) scripts/answer_eval.py

bench: setup knowledge train
	$(PY) bench/bench.py $(BENCH_ARGS)

clean:
	rm -rf models var test-artifacts results

# Lint: ruff (lint + format check) over the project, mypy over core/, hadolint over the Dockerfile.
lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/hadolint Dockerfile

# The image deploy/kubernetes.yaml runs (needs a Docker daemon).
image:
	docker build -t credit-assistant:latest .

# The unit tests only (no trained model, servers or browser): under a minute.
test-fast: setup
	bash scripts/run_tests.sh -m "not assistant and not browser and not cluster" -q \
	  --ignore=tests/test_project.py --ignore=tests/test_nlu_dev.py
