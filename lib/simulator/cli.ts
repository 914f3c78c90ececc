// `npm run simulator -- serve <model> --port 8000 ...`: runs the inference simulator until SIGTERM or
// SIGINT. It prints one line once listening (with the real port, useful with --port 0) and nothing
// per request, so its logs stay quiet under benchmark load.
import { USAGE, UsageError, parseCliArgs } from "./cli-args";
import { startSimulator } from "./server";

async function main(): Promise<void> {
  const { options, help } = parseCliArgs(process.argv.slice(2), process.env);
  if (help) {
    console.log(USAGE);
    return;
  }
  const simulator = await startSimulator(options);
  console.log(`InferenceKey inference simulator: model "${options.model}" listening on ${simulator.url} (port ${simulator.port})`);

  const stop = () => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // once(): a second signal gets Node's default behaviour, which ends the process at once.
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`simulator: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(`simulator: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
