/**
 * PyPI API tokens minted at test time the way Warehouse mints them
 * (macaroons/services.py): a pymacaroons v2 macaroon whose location is the
 * index's domain, an account-wide caveat, `pypi-` in front. Never committed:
 * a random key and identifier each run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { need, pythonTools, run } from './python.js';

const MINT = `
import json, sys, pymacaroons
location, identifier, key, form = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]), sys.argv[4]
version = pymacaroons.MACAROON_V2 if form == "v2" else pymacaroons.MACAROON_V1
m = pymacaroons.Macaroon(location=location, identifier=identifier, key=key, version=version)
m.add_first_party_caveat(json.dumps([3, identifier]))
if form == "v1-projects":
    m.add_first_party_caveat(json.dumps([1, ["acme-a", "acme-b"]]))
    m.add_third_party_caveat("https://auth.example", "k" * 32, "third")
print("pypi-" + m.serialize())
`;

/**
 * A token for `location` (`pypi.org`, `test.pypi.org`); fails the test when
 * pymacaroons is missing. `v1` is pymacaroons' default text serialization;
 * `v1-projects` adds a project caveat and a third-party caveat.
 */
export async function mintPypiToken(location: string, form: 'v2' | 'v1' | 'v1-projects' = 'v2'): Promise<string> {
  const python = need(pythonTools().macaroons);
  const result = await run(python, ['-c', MINT, location, randomUUID(), randomBytes(32).toString('hex'), form]);
  if (result.code !== 0) throw new Error(`minting a token failed: ${result.stderr}`);
  return result.stdout.trim();
}

const MINT_WITH = `
import json, sys, pymacaroons
location, identifier, key = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
m = pymacaroons.Macaroon(location=location, identifier=identifier, key=key, version=pymacaroons.MACAROON_V2)
for caveat in json.loads(sys.argv[4]):
    m.add_first_party_caveat(json.dumps(caveat))
print("pypi-" + m.serialize())
`;

/** A token for `location` carrying the given first-party caveats (e.g. `[2, [ids]]`, `[4, …]`), minted by pymacaroons. */
export async function mintPypiTokenWith(location: string, caveats: unknown[]): Promise<string> {
  const python = need(pythonTools().macaroons);
  const result = await run(python, ['-c', MINT_WITH, location, randomUUID(), randomBytes(32).toString('hex'), JSON.stringify(caveats)]);
  if (result.code !== 0) throw new Error(`minting a token failed: ${result.stderr}`);
  return result.stdout.trim();
}
