// Shared by calibration-set.mjs and unseen-phrasings.mjs: the real-fact table joined from the npm data
// the foundry uses (the same join as py/facts.py build_facts), the foundry's own sentence templates
// (read from py/facts.py, the one place they live), and a JSON writer formatted as the repo's prettier
// config wants. Not a foundry step; writes nothing by itself.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { facts } from './extract.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');

/** relation -> subject -> object, as build_facts joins the tables (first row of a (subject, relation)
 *  wins; empty values and objects equal to their subject are dropped). */
export function factTable() {
  const f = facts();
  const rows = [
    ...f.countries.flatMap((c) => [
      [c.name, 'capital', c.capital],
      [c.name, 'continent', c.continent],
      [c.name, 'language', c.language],
    ]),
    ...f.currencies.map((c) => [c.country, 'currency', c.currency_name]),
    ...f.regions.map((c) => [c.country, 'region', c.location]),
    ...f.elements.flatMap((e) => [
      [e.name, 'symbol', e.symbol],
      [e.name, 'atomic_number', String(e.number)],
    ]),
    ...f.usStates.map((s) => [s.state, 'state_capital', s.capital]),
  ];
  const table = new Map();
  for (const [rawS, relation, rawO] of rows) {
    const [s, o] = [(rawS ?? '').trim(), (rawO ?? '').trim()];
    if (!table.has(relation)) table.set(relation, new Map());
    const bySubject = table.get(relation);
    if (!s || !o || bySubject.has(s) || o.toLowerCase() === s.toLowerCase()) continue;
    bySubject.set(s, o);
  }
  return table;
}

/** The foundry's templates, relation -> ["The capital of {s} is {o}", ...] (training and held-out). */
export function foundryTemplates() {
  const source = readFileSync(join(here, 'py', 'facts.py'), 'utf8');
  const block = source.slice(source.indexOf('TEMPLATES = {'), source.indexOf('\n}\n'));
  const templates = {};
  for (const [, relation, body] of block.matchAll(/"(\w+)": \[([^\]]*)\]/g)) {
    templates[relation] = [...body.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  }
  if (Object.keys(templates).length === 0)
    throw new Error('phrasing-data: no TEMPLATES found in py/facts.py');
  return templates;
}

/** Writes `value` as JSON formatted by prettier with the repo's config, so `prettier --check` passes. */
export async function writeJson(path, value) {
  const options = { ...(await resolveConfig(path)), filepath: path };
  writeFileSync(path, await format(JSON.stringify(value), options));
}

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
