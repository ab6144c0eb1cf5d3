/**
 * The api-versions each resource provider serves. Azure keeps old versions alive for years and
 * the az CLI and other languages' SDKs send older ones than the JavaScript packages (SPEC §6), so
 * the sandbox accepts every version listed here and answers in the shape of the spec it holds.
 * Lists from the providers' `stable`/`preview` folders in Azure/azure-rest-api-specs.
 */
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import { armError, query } from './http.js';

export const API_VERSIONS = {
  batch: ['2015-12-01', '2017-01-01', '2017-05-01', '2017-09-01', '2018-12-01', '2019-04-01', '2019-08-01', '2020-03-01', '2020-05-01', '2020-09-01', '2021-01-01', '2021-06-01', '2022-01-01', '2022-06-01', '2022-10-01', '2023-05-01', '2023-11-01', '2024-02-01', '2024-07-01', '2025-06-01'],
  authorization: ['2015-07-01', '2018-01-01-preview', '2018-09-01-preview', '2020-03-01-preview', '2020-04-01-preview', '2020-08-01-preview', '2020-10-01-preview', '2021-04-01-preview', '2022-01-01-preview', '2022-04-01', '2022-05-01-preview'],
  msi: ['2015-08-31-preview', '2018-11-30', '2021-09-30-preview', '2022-01-31-preview', '2023-01-31', '2023-07-31-preview', '2024-11-30', '2025-01-31-preview'],
  storage: ['2016-01-01', '2016-12-01', '2017-06-01', '2017-10-01', '2018-02-01', '2018-07-01', '2018-11-01', '2019-04-01', '2019-06-01', '2020-08-01-preview', '2021-01-01', '2021-02-01', '2021-04-01', '2021-06-01', '2021-08-01', '2021-09-01', '2022-05-01', '2022-09-01', '2023-01-01', '2023-04-01', '2023-05-01', '2024-01-01', '2025-01-01', '2025-06-01', '2025-08-01', '2026-09-01'],
  keyvault: ['2015-06-01', '2016-10-01', '2018-02-14', '2019-09-01', '2021-04-01-preview', '2021-06-01-preview', '2021-10-01', '2021-11-01-preview', '2022-02-01-preview', '2022-07-01', '2022-11-01', '2023-02-01', '2023-07-01', '2024-04-01-preview', '2024-11-01', '2024-12-01-preview', '2025-05-01', '2026-02-01'],
  resources: ['2014-04-01', '2015-11-01', '2016-02-01', '2016-06-01', '2016-09-01', '2017-05-10', '2018-05-01', '2019-05-01', '2019-10-01', '2020-01-01', '2020-06-01', '2021-01-01', '2021-04-01', '2022-09-01', '2022-12-01', '2023-07-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-04-01'],
} as const;

export type Provider = keyof typeof API_VERSIONS;

/** undefined when the request's api-version is served; otherwise ARM's 400. */
export function checkApiVersion(req: SandboxRequest, provider: Provider): SandboxResponse | undefined {
  const version = query(req, 'api-version');
  if (version === undefined || version === '') {
    return armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
  }
  const served: readonly string[] = API_VERSIONS[provider];
  if (served.includes(version)) return undefined;
  return armError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${version}' is invalid. The supported versions are '${[...served].reverse().join(',')}'.`,
  );
}
