"""DLQ repair and replay, triggered by hand with the selection and the repair as run parameters."""
from __future__ import annotations

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param

from clickstream_common import CLICKSTREAM_HOME, DEFAULT_ARGS, START_DATE, TAGS, _var

#: Kafka settings of the replay (the job's options), from Airflow Variables.
KAFKA_ARGS = " ".join([
    "--kafka.bootstrap-servers " + _var("bootstrap_servers", "127.0.0.1:9092"),
    "--kafka.raw-topic " + _var("raw_topic", "clicks.raw"),
    "--kafka.dlq-topic " + _var("dlq_topic", "clicks.dlq"),
])


def _param(name: str) -> str:
    """The run parameter ``name``, single-quoted for the shell (the values are codes, numbers and instants)."""
    return "'{{ params." + name + " }}'"


with DAG(
    dag_id="clickstream_dlq_replay",
    description="Repair records of clicks.dlq and replay them to clicks.raw, once (ledger)",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=TAGS + ["dlq", "replay"],
    params={
        "reasons": Param("", type="string", description="DLQ reasons, comma-separated (empty: all)"),
        "partitions": Param("", type="string", description="partitions of clicks.raw, comma-separated (empty: all)"),
        "from": Param("", type="string", description="original Kafka time, inclusive, ISO-8601 (empty: no bound)"),
        "to": Param("", type="string", description="original Kafka time, exclusive, ISO-8601 (empty: no bound)"),
        "repair": Param("none", enum=["none", "epoch-seconds-to-ms", "string-schema-version"],
                        description="named repair applied before re-validation"),
    },
    doc_md="""
### DLQ repair and replay

Manually triggered (no schedule). Runs `DlqReplayCommand` (`infra/bin/dlq-replay.sh`) with the run's
parameters: it selects the records of `clicks.dlq` by reason, original partition and original Kafka time
range, applies the named repair (`none` re-validates with today's rules, e.g. after a schema version was
rolled out; `epoch-seconds-to-ms`; `string-schema-version`), and re-produces those that now pass to
`clicks.raw` with headers pointing back to their DLQ coordinates, in one Kafka transaction with their
ledger records (`clicks.dlq-replays`). A second run of the same selection produces nothing; what still
fails stays in the DLQ and is counted by reason in the task log. Procedure: docs/TABLES.md, "DLQ repair
and replay".
""",
) as dag:
    BashOperator(
        task_id="replay",
        bash_command=(
            f"cd {CLICKSTREAM_HOME} && infra/bin/dlq-replay.sh {KAFKA_ARGS}"
            f" --replay.reasons {_param('reasons')} --replay.partitions {_param('partitions')}"
            f" --replay.from {_param('from')} --replay.to {_param('to')} --replay.repair {_param('repair')}"
        ),
    )
