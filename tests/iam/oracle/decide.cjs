const path = require('path');
const dir = process.argv[2];
const { runSimulation } = require('module').createRequire(path.join(path.resolve(dir), 'index.js'))('@cloud-copilot/iam-simulate');
async function main() {
  const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const out = [];
  for (const c of cases) {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: c.condition }] };
    const ctx = c.context;
    const r = await runSimulation({
      request: { principal: 'arn:aws:iam::123456789012:role/R', action: 's3:ListBucket', resource: { resource: 'arn:aws:s3:::bucket', accountId: '123456789012' }, contextVariables: ctx },
      identityPolicies: [{ name: 'p', policy }], serviceControlPolicies: [], resourceControlPolicies: []
    }, {});
    out.push(r.resultType === 'error' ? { error: r.errors.message } : { result: r.overallResult, ignored: r.result && r.result.ignoredContextKeys });
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch(e => { console.error(e); process.exit(1); });
