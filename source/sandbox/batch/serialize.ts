/**
 * ARM-held pools and world nodes in the Batch data plane's shapes (BatchService.json
 * 2022-10-01.16.0: CloudPool, ComputeNode). The pool's ARM properties are translated by
 * ./arm-to-data.ts (renamed properties, enums in the data plane's case).
 */
import type { ComputeNode, Pool } from '../world/model.js';
import { isoTime, lastSegment } from '../world/ids.js';
import { targetNodes } from '../world/behaviour.js';
import { asRecord, dataPlaneMounts, dataPlaneNetwork, dataPlaneStartTask, dataPlaneUserAccounts, dataPlaneVmConfiguration, lowerFirst } from './arm-to-data.js';

const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

function certificateReferences(pool: Pool): Array<Record<string, unknown>> | undefined {
  if (!Array.isArray(pool.properties.certificates)) return undefined;
  return (pool.properties.certificates as unknown[]).map((c) => {
    const cert = asRecord(c) ?? {};
    const [algorithm = 'sha1', thumbprint = ''] = lastSegment(text(cert.id)).split('-');
    return {
      thumbprint,
      thumbprintAlgorithm: algorithm,
      ...(cert.storeLocation ? { storeLocation: text(cert.storeLocation).toLowerCase() } : {}),
      ...(cert.storeName ? { storeName: cert.storeName } : {}),
      ...(Array.isArray(cert.visibility) ? { visibility: (cert.visibility as string[]).map((v) => v.toLowerCase()) } : {}),
    };
  });
}

export function serializeDataPlanePool(origin: string, pool: Pool, current: { dedicated: number; lowPriority: number }): Record<string, unknown> {
  const p = pool.properties;
  const target = targetNodes(pool);
  const deployment = asRecord(p.deploymentConfiguration);
  const vmConfig = dataPlaneVmConfiguration(deployment?.virtualMachineConfiguration);
  const cloudService = asRecord(deployment?.cloudServiceConfiguration);
  const autoScale = asRecord(asRecord(p.scaleSettings)?.autoScale);
  const fixedScale = asRecord(asRecord(p.scaleSettings)?.fixedScale);
  const network = dataPlaneNetwork(p.networkConfiguration);
  const identities = pool.identity?.userAssignedIdentities ?? {};
  const startTask = dataPlaneStartTask(p.startTask);
  const certificates = certificateReferences(pool);
  const packages = Array.isArray(p.applicationPackages) ? (p.applicationPackages as unknown[]).map((a) => asRecord(a) ?? {}) : [];
  return {
    id: pool.name,
    ...(typeof p.displayName === 'string' ? { displayName: p.displayName } : {}),
    url: `${origin}/pools/${pool.name}`,
    eTag: pool.etag.replace(/^W\/"?|"$/g, ''),
    lastModified: isoTime(pool.lastModified),
    creationTime: isoTime(pool.creationTime),
    state: 'active',
    stateTransitionTime: isoTime(pool.creationTime),
    allocationState: pool.allocationState.toLowerCase(),
    allocationStateTransitionTime: isoTime(pool.allocationStateTransitionTime),
    vmSize: text(p.vmSize, 'standard_d2s_v3').toLowerCase(),
    ...(vmConfig ? { virtualMachineConfiguration: vmConfig } : {}),
    ...(cloudService ? { cloudServiceConfiguration: { osFamily: cloudService.osFamily, ...(cloudService.osVersion ? { osVersion: cloudService.osVersion } : {}) } } : {}),
    resizeTimeout: text(fixedScale?.resizeTimeout, 'PT15M'),
    ...(pool.resizeErrors?.length ? { resizeErrors: pool.resizeErrors.map((e) => ({ code: e.code, message: e.message })) } : {}),
    currentDedicatedNodes: current.dedicated,
    currentLowPriorityNodes: current.lowPriority,
    targetDedicatedNodes: target?.dedicated ?? 0,
    targetLowPriorityNodes: target?.lowPriority ?? 0,
    enableAutoScale: autoScale !== undefined,
    ...(autoScale ? { autoScaleFormula: text(autoScale.formula), autoScaleEvaluationInterval: text(autoScale.evaluationInterval, 'PT15M') } : {}),
    enableInterNodeCommunication: p.interNodeCommunication === 'Enabled',
    ...(network ? { networkConfiguration: network } : {}),
    ...(startTask ? { startTask } : {}),
    ...(certificates ? { certificateReferences: certificates } : {}),
    ...(packages.length ? { applicationPackageReferences: packages.map((a) => ({ applicationId: lastSegment(text(a.id)), ...(a.version ? { version: a.version } : {}) })) } : {}),
    ...(Array.isArray(p.applicationLicenses) ? { applicationLicenses: p.applicationLicenses } : {}),
    taskSlotsPerNode: typeof p.taskSlotsPerNode === 'number' ? p.taskSlotsPerNode : 1,
    taskSchedulingPolicy: { nodeFillType: lowerFirst(asRecord(p.taskSchedulingPolicy)?.nodeFillType ?? 'Spread') },
    ...(Array.isArray(p.userAccounts) ? { userAccounts: dataPlaneUserAccounts(p.userAccounts) } : {}),
    ...(Array.isArray(p.metadata) ? { metadata: p.metadata } : {}),
    ...(Array.isArray(p.mountConfiguration) ? { mountConfiguration: dataPlaneMounts(p.mountConfiguration) } : {}),
    ...(pool.identity?.type === 'UserAssigned'
      ? { identity: { type: 'UserAssigned', userAssignedIdentities: Object.entries(identities).map(([resourceId, v]) => ({ resourceId, clientId: v.clientId, principalId: v.principalId })) } }
      : { identity: { type: 'None' } }),
  };
}

/** Per-request context so that 1,000 nodes per page share the pool-level parts. */
export interface NodeSerializationContext {
  origin: string;
  pool: Pool;
  startTask: Record<string, unknown> | undefined;
  certificates: Array<Record<string, unknown>> | undefined;
}

export function nodeContext(origin: string, pool: Pool): NodeSerializationContext {
  return { origin, pool, startTask: dataPlaneStartTask(pool.properties.startTask), certificates: certificateReferences(pool) };
}

export function serializeNode(ctx: NodeSerializationContext, node: ComputeNode): Record<string, unknown> {
  const info = node.startTaskInfo;
  return {
    id: node.id,
    url: `${ctx.origin}/pools/${ctx.pool.name}/nodes/${node.id}`,
    state: node.state,
    schedulingState: 'enabled',
    stateTransitionTime: isoTime(node.stateTransitionTime),
    ...(node.lastBootTime !== undefined ? { lastBootTime: isoTime(node.lastBootTime) } : {}),
    allocationTime: isoTime(node.allocationTime),
    ipAddress: node.ipAddress,
    affinityId: `TVM:${node.id}`,
    vmSize: node.vmSize,
    totalTasksRun: 0,
    totalTasksSucceeded: 0,
    runningTasksCount: 0,
    runningTaskSlotsCount: 0,
    isDedicated: node.isDedicated,
    ...(ctx.startTask ? { startTask: ctx.startTask } : {}),
    ...(info
      ? {
          startTaskInfo: {
            state: info.state,
            startTime: isoTime(info.startTime),
            ...(info.endTime !== undefined ? { endTime: isoTime(info.endTime) } : {}),
            ...(info.exitCode !== undefined ? { exitCode: info.exitCode } : {}),
            ...(info.failureInfo ? { failureInfo: info.failureInfo } : {}),
            retryCount: info.retryCount,
            ...(info.result ? { result: info.result } : {}),
          },
        }
      : {}),
    ...(ctx.certificates ? { certificateReferences: ctx.certificates } : {}),
    ...(node.errors.length ? { errors: node.errors } : {}),
    nodeAgentInfo: { version: '1.12.10', lastUpdateTime: isoTime(node.lastBootTime ?? node.allocationTime) },
  };
}
