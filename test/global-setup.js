// E2E tests run the real `fedzip` binary from dist/, so build it once (incremental, quiet) first.
import { execFileSync } from 'node:child_process';

export default function globalSetup() {
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
}
