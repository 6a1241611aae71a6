/**
 * `deno task test:embedded [paths…]`: runs the tests (default: tests/) against the embedded
 * database even when the environment sets TEST_DATABASE_URL. deno task's shell has `unset` but
 * cannot both drop the variable and default the paths when arguments are given, so this spawns
 * `deno test` itself with the variable removed from its environment.
 */
const env = Deno.env.toObject();
delete env.TEST_DATABASE_URL;
const args = Deno.args.length > 0 ? Deno.args : ["tests/"];
const { code } = await new Deno.Command(Deno.execPath(), {
  args: ["test", "-A", "--parallel", ...args],
  env,
  clearEnv: true,
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn().status;
Deno.exit(code);
