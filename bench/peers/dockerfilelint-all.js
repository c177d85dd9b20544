// Runs dockerfilelint's own library on every file given, in one process,
// the way its CLI does per file, but without stopping at the first file it
// crashes on (its CLI exits the whole run then). Prints how many files it
// linted and how many crashed it, so the bench compares the same work.
'use strict';
const fs = require('fs');
const path = require('path');
const lint = require(path.join(process.env.PEERS, 'node_modules/dockerfilelint/lib/index.js'));
const Reporter = require(path.join(process.env.PEERS, 'node_modules/dockerfilelint/lib/reporter/json_reporter'));
const reporter = new Reporter();
let ok = 0, crashed = 0;
for (const f of process.argv.slice(2)) {
  const content = fs.readFileSync(f, 'utf8');
  try {
    reporter.addFile(f, content, lint.run(path.dirname(f), content));
    ok++;
  } catch (e) {
    crashed++;
  }
}
const report = reporter.buildReport();
process.stdout.write(String(report.toString ? report.toString() : JSON.stringify(report)).slice(0, 0));
process.stderr.write(`dockerfilelint: ${ok} files linted, ${crashed} crashed it\n`);
