// Tests run on the Node major that Electron's main process embeds (the `node` devDependency puts
// it first on npm scripts' PATH). Say so plainly if something else is running them.
const electronNodeMajor = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major !== electronNodeMajor) {
  console.error(
    `Colonnade's scripts run on Node ${electronNodeMajor} (what Electron embeds), but this is Node ${process.versions.node}.\n` +
      'Run them through npm (npm test, npm run harness) after npm install, which provides that Node.',
  );
  process.exit(1);
}
console.log(`Node ${process.versions.node} (Electron's major: ${electronNodeMajor})`);
