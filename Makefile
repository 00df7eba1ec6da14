# The two entry points. Both install what they need (Debian JDK/Maven if missing, Maven artifacts).
.PHONY: demo test build clean

## Run the pipeline end to end on the embedded stack and print what landed.
demo:
	bash infra/bin/demo.sh $(ARGS)

## Run every test: unit/harness tests, then ITCases with a real broker, MiniCluster and warehouse.
test:
	bash infra/bin/test.sh

build:
	mvn -q -B install -DskipTests

clean:
	mvn -q -B clean
	rm -rf target
