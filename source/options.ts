/** What the command line resolved to, shared by cli.tsx, the commands and the interactive program. */

export interface CommonOptions {
  /** Start the embedded sandbox in-process and use it. */
  sandbox: boolean;
  /** Path of a cloud profile JSON (e.g. written by `batch-mi-tui sandbox --profile-out`). */
  cloud?: string;
  /** Write diagnostic details to a file in this path (never to the screen). */
  debug?: string;
}

export interface InteractiveOptions extends CommonOptions {
  subscription?: string;
  account?: string;
  readOnly: boolean;
  /** Live views' refresh interval; absent: the saved setting (default 5). */
  refreshSeconds?: number;
}

/** Who and where the program is talking to, as the header shows it. */
export interface SessionInfo {
  /** 'Azure' or 'sandbox (https://127.0.0.1:PORT)'. */
  cloudLabel: string;
  /** e.g. 'ClientSecretCredential as operator@sandbox' or 'not signed in yet'. */
  credentialLabel: string;
  subscriptionId?: string;
}
