/** `delta-gateway serve`: runs the gateway until SIGTERM/SIGINT. */
import { main } from '../main.ts';

export async function run(_args: string[]): Promise<number> {
  return main();
}
