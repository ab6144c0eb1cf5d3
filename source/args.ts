/**
 * The command-line surface of SPEC §2, declared once: parsing, validation and every --help text
 * come from the tables below. Pure: no I/O, so every usage error is unit-tested.
 */
import { parseDuration } from './domain/duration.js';
import { isGuid, parseUserAssignedIdentityId } from './domain/resource-id.js';

export type CommandName =
  'interactive' | 'doctor' | 'nodes' | 'upload-logs' | 'validate-token' | 'sandbox';

interface OptionSpec {
  name: string;
  /** Placeholder of the value; absent for a flag. */
  value?: string;
  description: string;
  required?: boolean;
  /** Returns an error sentence fragment when the value is not acceptable. */
  check?: (value: string) => string | undefined;
}

interface CommandSpec {
  name: CommandName;
  usage: string;
  summary: string;
  options: OptionSpec[];
}

const positiveInt = (max: number) => (v: string) =>
  /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= max
    ? undefined
    : `must be a whole number from 1 to ${max}`;

const guid = (v: string) =>
  isGuid(v) ? undefined : 'must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)';

const httpsUrl = (v: string) => {
  try {
    const url = new URL(v);
    return url.protocol === 'https:' ? undefined : 'must be an https:// URL';
  } catch {
    return 'must be a URL such as https://<account>.blob.core.windows.net/<container>';
  }
};

const name = (v: string) =>
  /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v)
    ? undefined
    : 'must be a name of letters, digits, - _ or .';

const common: OptionSpec[] = [
  { name: 'sandbox', description: 'start the embedded sandbox (local Azure emulation) and use it' },
  {
    name: 'cloud',
    value: 'FILE',
    description: 'use a cloud profile, e.g. one written by `batch-mi-tui sandbox --profile-out`',
  },
  {
    name: 'debug',
    value: 'FILE',
    description: 'write diagnostic details to FILE (never tokens or secrets)',
  },
  { name: 'help', description: 'show this help' },
  { name: 'version', description: 'show the version' },
];

const subscription: OptionSpec = {
  name: 'subscription',
  value: 'ID',
  description: 'subscription id',
  check: guid,
};
const json: OptionSpec = { name: 'json', description: 'print one JSON document on stdout' };

export const commands: CommandSpec[] = [
  {
    name: 'interactive',
    usage: 'batch-mi-tui [--subscription ID] [--account NAME] [--read-only] [--refresh SECONDS]',
    summary: 'Open the full-screen program (needs a terminal).',
    options: [
      subscription,
      { name: 'account', value: 'NAME', description: 'open on this Batch account', check: name },
      { name: 'read-only', description: 'hide and refuse every write to Azure' },
      {
        name: 'refresh',
        value: 'SECONDS',
        description: 'live views refresh interval (default 5)',
        check: positiveInt(3600),
      },
    ],
  },
  {
    name: 'doctor',
    usage: 'batch-mi-tui doctor [--subscription ID] [--account NAME] [--pool ID] [--json]',
    summary: 'Diagnose managed-identity problems and print the findings with their fixes.',
    options: [
      subscription,
      { name: 'account', value: 'NAME', description: 'only this Batch account', check: name },
      { name: 'pool', value: 'ID', description: 'only this pool (needs --account)', check: name },
      json,
    ],
  },
  {
    name: 'nodes',
    usage: 'batch-mi-tui nodes --account NAME --pool ID [--watch] [--json]',
    summary: "List a pool's compute nodes with state counts; --watch prints transitions.",
    options: [
      { name: 'account', value: 'NAME', description: 'Batch account', required: true, check: name },
      { name: 'pool', value: 'ID', description: 'pool id', required: true, check: name },
      { name: 'watch', description: 'print state transitions until Ctrl+C' },
      json,
    ],
  },
  {
    name: 'upload-logs',
    usage:
      'batch-mi-tui upload-logs --account NAME --pool ID --node ID [--since DURATION] [--container-url URL] [--identity RESOURCE_ID] [--json]',
    summary: "Upload a node's Batch service logs to storage and list what was uploaded.",
    options: [
      { name: 'account', value: 'NAME', description: 'Batch account', required: true, check: name },
      { name: 'pool', value: 'ID', description: 'pool id', required: true, check: name },
      { name: 'node', value: 'ID', description: 'compute node id', required: true, check: name },
      {
        name: 'since',
        value: 'DURATION',
        description: 'time window, e.g. 1h, 24h, 2d (default 1h)',
        check: (v) =>
          parseDuration(v) === undefined ? 'must be a duration such as 30m, 1h or 2d' : undefined,
      },
      {
        name: 'container-url',
        value: 'URL',
        description: 'destination container (default: autostorage)',
        check: httpsUrl,
      },
      {
        name: 'identity',
        value: 'RESOURCE_ID',
        description: 'pool identity used to write the logs',
        check: (v) => {
          const parsed = parseUserAssignedIdentityId(v);
          return parsed.ok ? undefined : parsed.message;
        },
      },
      json,
    ],
  },
  {
    name: 'validate-token',
    usage:
      'batch-mi-tui validate-token --storage-url URL [--client-id ID | --resource-id ID | --token-file FILE] [--json]',
    summary: 'Check that an identity gets a storage token and can read the storage URL.',
    options: [
      {
        name: 'storage-url',
        value: 'URL',
        description: 'blob or container URL to read',
        required: true,
        check: httpsUrl,
      },
      {
        name: 'client-id',
        value: 'ID',
        description: 'managed identity client id (IMDS, on a node)',
        check: guid,
      },
      {
        name: 'resource-id',
        value: 'ID',
        description: 'managed identity resource id (IMDS, on a node)',
        check: (v) => {
          const parsed = parseUserAssignedIdentityId(v);
          return parsed.ok ? undefined : parsed.message;
        },
      },
      { name: 'token-file', value: 'FILE', description: 'a token obtained on a node' },
      json,
    ],
  },
  {
    name: 'sandbox',
    usage: 'batch-mi-tui sandbox [--port N] [--profile-out FILE]',
    summary: 'Run the sandbox standalone until Ctrl+C and write its cloud profile.',
    options: [
      {
        name: 'port',
        value: 'N',
        description: 'first port to listen on (default: chosen by the OS)',
        check: positiveInt(65535),
      },
      { name: 'profile-out', value: 'FILE', description: 'write the cloud profile JSON here' },
    ],
  },
];

function specOf(name: CommandName): CommandSpec {
  const spec = commands.find((c) => c.name === name);
  if (!spec) throw new Error(`no command spec for ${name}`);
  return spec;
}

export type ParsedArgs =
  | { kind: 'run'; command: CommandName; values: Record<string, string | true> }
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

const exclusive: Partial<Record<CommandName, string[][]>> = {
  interactive: [],
  'validate-token': [['client-id', 'resource-id', 'token-file']],
};

const globalExclusive = [['sandbox', 'cloud']];

export function parseArgs(argv: string[]): ParsedArgs {
  const first = argv[0];
  const named = commands.find((c) => c.name !== 'interactive' && c.name === first);
  if (first !== undefined && !first.startsWith('-') && !named) {
    return {
      kind: 'error',
      message: `unknown command '${first}'; the commands are ${commandList()}`,
    };
  }
  const spec = named ?? specOf('interactive');
  const rest = named ? argv.slice(1) : argv;
  const known = [...spec.options, ...common];
  const values: Record<string, string | true> = {};

  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (!arg.startsWith('--')) {
      return { kind: 'error', message: `unexpected argument '${arg}' for ${label(spec)}` };
    }
    const eq = arg.indexOf('=');
    const optName = arg.slice(2, eq === -1 ? undefined : eq);
    const opt = known.find((o) => o.name === optName);
    if (!opt) return { kind: 'error', message: `unknown option '--${optName}' for ${label(spec)}` };
    if (values[opt.name] !== undefined)
      return { kind: 'error', message: `--${opt.name} was given twice` };
    if (!opt.value) {
      if (eq !== -1) return { kind: 'error', message: `--${opt.name} takes no value` };
      values[opt.name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = rest[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === '') {
      return { kind: 'error', message: `--${opt.name} needs a value (${opt.value})` };
    }
    const problem = opt.check?.(value);
    if (problem) return { kind: 'error', message: `--${opt.name} ${problem}` };
    values[opt.name] = value;
  }

  if (values.help) return { kind: 'help', text: helpText(spec.name) };
  if (values.version) return { kind: 'version' };
  for (const opt of spec.options) {
    if (opt.required && values[opt.name] === undefined) {
      return {
        kind: 'error',
        message: `${label(spec)} needs --${opt.name} ${opt.value ?? ''}`.trimEnd(),
      };
    }
  }
  for (const group of [...globalExclusive, ...(exclusive[spec.name] ?? [])]) {
    const given = group.filter((n) => values[n] !== undefined);
    if (given.length > 1) {
      return { kind: 'error', message: `use only one of ${given.map((n) => `--${n}`).join(', ')}` };
    }
  }
  if (spec.name === 'doctor' && values.pool !== undefined && values.account === undefined) {
    return { kind: 'error', message: 'doctor --pool needs --account NAME too' };
  }
  return { kind: 'run', command: spec.name, values };
}

function label(spec: CommandSpec): string {
  return spec.name === 'interactive' ? 'batch-mi-tui' : `batch-mi-tui ${spec.name}`;
}

function commandList(): string {
  return commands
    .filter((c) => c.name !== 'interactive')
    .map((c) => c.name)
    .join(', ');
}

function optionLines(options: OptionSpec[]): string[] {
  const rows = options.map(
    (o) =>
      [
        `--${o.name}${o.value ? ` ${o.value}` : ''}`,
        o.description + (o.required ? ' (required)' : ''),
      ] as const,
  );
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}

export function helpText(command: CommandName): string {
  const spec = specOf(command);
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, ''];
  if (spec.options.length > 0) lines.push('Options:', ...optionLines(spec.options), '');
  lines.push('Common options:', ...optionLines(common), '');
  if (command === 'interactive') {
    lines.push('Commands:');
    for (const c of commands.filter((c) => c.name !== 'interactive'))
      lines.push(`  ${c.name.padEnd(16)}${c.summary}`);
    lines.push(
      '',
      'Run `batch-mi-tui COMMAND --help` for the options of a command.',
      'Without --sandbox or --cloud, batch-mi-tui signs in to Azure with DefaultAzureCredential (az login, environment, managed identity, ...).',
      'NO_COLOR turns colour off.',
      '',
    );
  }
  return lines.join('\n');
}
