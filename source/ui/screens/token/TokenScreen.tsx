/**
 * Screen 8, Token check (SPEC §5): can this pool identity, as the pool's nodes get it, read this
 * storage? Enter picks the identity, `/` types another storage URL (default: the autostorage
 * container), x runs the four steps as a checklist; f opens the flow a failed step offers. The
 * token is never shown beyond its first 8 characters.
 */
import { useEffect, useReducer, useRef } from 'react';
import { nodeTokenCommand, type ImdsSelector } from '../../../domain/token/imds.js';
import { STEP_TITLES, type StepResult } from '../../../domain/token/steps.js';
import { redactUrl } from '../../../domain/token/storage-url.js';
import { Line } from '../../components/Line.js';
import { ScrollPanel } from '../../components/ScrollPanel.js';
import { useCommands } from '../../hooks/useCommands.js';
import { useResource } from '../../hooks/useResource.js';
import { useSession } from '../../session.js';
import { useTheme } from '../../theme.js';
import type { ScreenProps } from '../common.js';
import { Connected, NothingChosen } from '../common.js';
import { checkToken, setup, type TokenTarget } from './run.js';
import { flowStep, initialToken, tokenReducer } from './state.js';

export function TokenScreen(props: ScreenProps) {
  const { account, pool, node } = props.route.params ?? {};
  const { connection } = useSession();
  if (account === undefined || pool === undefined) return <NothingChosen what="pool" />;
  const incident = connection.phase === 'ready' ? connection.services.incident : undefined;
  return (
    <Connected>
      {(gateways) =>
        connection.phase !== 'ready' || incident === undefined ? (
          <Line>This session has no storage access for the token check.</Line>
        ) : (
          <Token
            {...props}
            target={{
              account,
              pool,
              ...(node ? { node } : {}),
              gateways,
              clients: connection.services.clients,
              armEndpoint: connection.services.armEndpoint,
              incident,
            }}
          />
        )
      }
    </Connected>
  );
}

function Token({ target, filter, active, width, height }: ScreenProps & { target: TokenTarget }) {
  const session = useSession();
  const theme = useTheme();
  const { colours, symbols } = theme;
  const { account, pool } = target;
  const identities = pool.identity.userAssignedIdentities;
  const reference = account.autoStorage?.nodeIdentityReference?.resourceId?.toLowerCase();
  const preferred = Math.max(
    0,
    identities.findIndex((i) => i.resourceId.toLowerCase() === reference),
  );
  const [state, dispatch] = useReducer(tokenReducer, preferred, initialToken);
  const running = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => running.current?.abort(), []);
  const { state: loaded } = useResource(
    `token|${account.id}|${pool.name}|${target.node ?? ''}`,
    (call) => setup(target, call.signal),
  );
  const identity = identities[state.identity];
  const typed = filter.trim();
  const storageUrl = typed !== '' ? typed : (loaded.value?.defaultUrl ?? '');
  const node = loaded.value?.node;
  const offered = flowStep(state);

  const run = () => {
    if (!identity || storageUrl === '' || state.run.kind === 'running') return;
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    dispatch({ type: 'started' });
    checkToken(
      target,
      identity,
      node,
      storageUrl,
      (step) => dispatch({ type: 'step', step }),
      controller.signal,
    ).then(
      (report) =>
        dispatch({
          type: 'done',
          passed: report.passed,
          steps: report.steps,
          ...(report.token ? { token: report.token } : {}),
        }),
      (error: unknown) => {
        if (!controller.signal.aborted)
          dispatch({
            type: 'failed',
            message: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '',
          });
      },
    );
  };

  useCommands('token', active, (command) => {
    switch (command) {
      case 'open':
        return dispatch({ type: 'cycle', choices: identities.length });
      case 'runCheck':
        return run();
      case 'openFlow': {
        if (!offered?.flow || !identity) return undefined;
        session.open('flows', {
          account,
          pool,
          flow: {
            flow: offered.flow,
            draft: {
              accountId: account.id,
              ...(account.autoStorage?.storageAccountId
                ? { storageAccountId: account.autoStorage.storageAccountId }
                : {}),
              nodeIdentityId: identity.resourceId,
              ...(offered.flow === 'pool-identity'
                ? { pool: pool.name, identityId: identity.resourceId }
                : {}),
            },
            account,
            pool,
            origin: `token check of ${identity.name} on ${account.name}/${pool.name}`,
          },
        });
        return 'leave';
      }
      default:
        return undefined;
    }
  });

  const steps = state.run.kind === 'running' || state.run.kind === 'done' ? state.run.steps : [];
  const mark = (s: StepResult) =>
    s.status === 'pass'
      ? { sign: symbols.ok, colour: colours.ok }
      : s.status === 'fail'
        ? { sign: symbols.error, colour: colours.error }
        : { sign: symbols.skipped, colour: colours.muted };
  const selector: ImdsSelector = identity?.clientId
    ? { clientId: identity.clientId }
    : identity
      ? { resourceId: identity.resourceId }
      : {};
  const lines: Array<{ text: string; colour?: (typeof colours)['ok'] }> = [];
  const add = (text: string, colour?: (typeof colours)['ok']) => {
    for (const row of wrapText(text, Math.max(20, width - 1)))
      lines.push(colour ? { text: row, colour } : { text: row });
  };
  for (const s of steps) {
    const m = mark(s);
    add(`${m.sign} ${STEP_TITLES[s.step]}: ${s.summary}`, m.colour);
    if (s.status !== 'pass' && s.reason) add(`    ${s.reason}`);
    if (s.fix) add(`    fix${s.rule ? ` (${s.rule})` : ''}: ${s.fix}`);
  }
  add('On a node, get a token file with:', colours.muted);
  add(`  ${nodeTokenCommand(selector)}`);
  const loadError =
    loaded.error instanceof Error
      ? loaded.error.message.split('\n')[0]
      : loaded.error === undefined
        ? undefined
        : 'the pool could not be read';
  const top = [
    <Line key="identity">{`Identity  ${identity ? identity.name : 'the pool has no user-assigned identity'}  (Enter: next of ${identities.length})`}</Line>,
    <Line key="storage">{`Storage   ${storageUrl === '' ? (loaded.value?.noDefault ?? loadError ?? '…') : redactUrl(storageUrl)}  (/ types another)`}</Line>,
    state.run.kind === 'done' ? (
      <Line key="state" color={state.run.passed ? colours.ok : colours.error}>
        {`${state.run.passed ? `${symbols.ok} passed` : `${symbols.error} failed`}${state.run.token ? ` · token ${state.run.token}…` : ''}${offered ? ` · f: the ${offered.flow ?? ''} flow fixes it` : ''}`}
      </Line>
    ) : state.run.kind === 'failed' ? (
      <Line key="state" color={colours.error}>{`${symbols.error} ${state.run.message}`}</Line>
    ) : (
      <Line key="state" color={colours.muted}>
        {state.run.kind === 'running' ? 'checking…' : 'x runs the check · j/k scroll'}
      </Line>
    ),
  ];
  return (
    <ScrollPanel
      screen="token"
      active={active}
      title={`Token check of pool ${pool.name}${node ? ` (IMDS of node ${node})` : ''}`}
      top={top}
      topRows={top.length}
      rows={lines.map((l, i) => (
        <Line key={i} {...(l.colour ? { color: l.colour } : {})}>
          {l.text}
        </Line>
      ))}
      height={height}
    />
  );
}

/** Words into rows of at most `width` characters; a word longer than a row is split. */
export function wrapText(text: string, width: number): string[] {
  const indent = /^\s*/.exec(text)?.[0] ?? '';
  const more = `${indent}  `;
  const rows: string[] = [];
  let row = indent;
  const fresh = () => row === indent || row === more;
  for (let word of text.trim().split(/\s+/)) {
    while (word !== '') {
      const room = width - row.length - (fresh() ? 0 : 1);
      if (word.length <= room) {
        row = fresh() ? row + word : `${row} ${word}`;
        word = '';
      } else if (fresh()) {
        rows.push(row + word.slice(0, room));
        word = word.slice(room);
        row = more;
      } else {
        rows.push(row);
        row = more;
      }
    }
  }
  if (!fresh()) rows.push(row);
  return rows;
}
