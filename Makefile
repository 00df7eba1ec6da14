# The two entry points. Both install what they need (Debian JDK/Maven if missing, Maven artifacts).
.PHONY: demo test build clean cluster-demo cluster-up cluster-down

## Run the pipeline end to end on the embedded stack and print what landed.
demo:
	bash infra/bin/demo.sh $(ARGS)

## Run every test: unit/harness tests, then ITCases with a real broker, MiniCluster and warehouse.
test:
	bash infra/bin/test.sh

## The same demo on a real multi-process cluster (3 Kafka nodes, Flink JobManager + 2 TaskManagers, Spark master +
## worker, PostgreSQL, Trino) from the deployable jars; not one of the two set-up commands.
cluster-demo:
	bash infra/bin/cluster-demo.sh $(ARGS)

## A long-running cluster for your own jobs (endpoints in target/cluster/cluster.env).
cluster-up:
	bash infra/bin/cluster.sh up $(ARGS)

cluster-down:
	bash infra/bin/cluster.sh down

## The deployables: the Flink job jar, the Spark application jar, the service, the runnable tools.
build:
	mvn -q -B package -DskipTests

clean:
	mvn -q -B clean
	rm -rf target
