/**
 * A failure as the screens say it: what failed, and what to do next. Domain errors carry both
 * (gateways made them); a 403 on a read names the role to ask for, since browsing needs no more
 * than Reader; anything else is one line, never a stack trace.
 */
import { isDomainError } from '../domain/errors.js';

export interface Problem {
  text: string;
  next: string;
}

export function describeProblem(error: unknown): Problem {
  if (isDomainError(error)) {
    const detail = error.detail;
    if (
      detail.kind === 'Forbidden' &&
      detail.action !== undefined &&
      /\/read$/i.test(detail.action)
    ) {
      const scope = detail.scope ?? 'the resource';
      return {
        text: `Reading needs ${detail.action} on ${scope}, which your identity lacks`,
        next: `Ask an owner for Reader (or any role with ${detail.action}) on ${scope}, then press r`,
      };
    }
    return { text: error.message, next: error.nextStep };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    text: message.split('\n')[0] ?? message,
    next: 'Press r to try again; run with --debug to keep the details',
  };
}
