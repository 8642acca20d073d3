// `npm start`: the one command that runs the app on a fresh clone. Installs dependencies when they are
// missing, prepares the CIFAR-10 subset when it is missing, then starts the dev server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('Installing dependencies (npm ci)…');
  run('npm', ['ci']);
}
if (!existsSync('public/data/cifar10/manifest.json')) {
  console.log('Preparing CIFAR-10 (npm run data)…');
  run('npm', ['run', 'data']);
}
run('npx', ['vite', '--host', 'localhost', ...process.argv.slice(2)]);
