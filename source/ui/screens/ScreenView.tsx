/** The screen a route shows; screens not built yet say so (Placeholder). */
import { AccountScreen } from './account/AccountScreen.js';
import { AccountsScreen } from './accounts/AccountsScreen.js';
import type { ScreenProps } from './common.js';
import { DoctorScreen } from './doctor/DoctorScreen.js';
import { FlowsScreen } from './flows/FlowsScreen.js';
import { IdentitiesScreen } from './identities/IdentitiesScreen.js';
import { LogsScreen } from './logs/LogsScreen.js';
import { NodesScreen } from './nodes/NodesScreen.js';
import { Placeholder } from './Placeholder.js';
import { PoolsScreen } from './pools/PoolsScreen.js';
import { TokenScreen } from './token/TokenScreen.js';

export function ScreenView(props: ScreenProps) {
  switch (props.route.screen) {
    case 'accounts':
      return <AccountsScreen {...props} />;
    case 'account':
      return <AccountScreen {...props} />;
    case 'pools':
      return <PoolsScreen {...props} />;
    case 'nodes':
      return <NodesScreen {...props} />;
    case 'identities':
      return <IdentitiesScreen {...props} />;
    case 'doctor':
      return <DoctorScreen {...props} />;
    case 'flows':
      return <FlowsScreen {...props} />;
    case 'logs':
      return <LogsScreen {...props} />;
    case 'token':
      return <TokenScreen {...props} />;
    default:
      return <Placeholder screen={props.route.screen} filter={props.filter} />;
  }
}
