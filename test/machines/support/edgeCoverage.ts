import type { AnyStateMachine, AnyTransitionDefinition, InspectionEvent } from 'xstate';
import { toDirectedGraph, type DirectedGraphEdge, type DirectedGraphNode } from 'xstate/graph';

/**
 * Edge coverage of a real machine. `createTestModel` reports no coverage, so the model tests record, through the real
 * actor's `inspect` option, which transitions of the real machine each step took, and compare them with every edge of
 * `toDirectedGraph(machine)`.
 *
 * An edge is named `source --EVENT [guard]--> target` (state node ids). The guard is part of the name because two
 * transitions may share source, event and target (the retry machine's two `attempting --FAILED--> exhausted`).
 */
export interface EdgeCoverage {
  /** Every edge of `toDirectedGraph(machine)`, by name. */
  readonly all: readonly string[];
  /** The edges some real actor has taken so far. */
  readonly visited: ReadonlySet<string>;
  /**
   * An `inspect` callback for `createActor`: records each transition the actor takes; when `sink` is given, also pushes
   * the edge names there (so a test step can assert exactly which edge it took).
   */
  recorder(sink?: () => string[] | undefined): (event: InspectionEvent) => void;
  /** The edges not visited yet. */
  missing(): string[];
}

/** Every edge of a directed graph, depth first (edges sit in each node's `edges`, nested in `children`). */
export function collectEdges(node: DirectedGraphNode): DirectedGraphEdge[] {
  return [...node.edges, ...node.children.flatMap(collectEdges)];
}

/** A guard's name: `isCurrent`, or for the higher-order guards (and/or/not) `and(hasRetriesLeft, budgetAllows)`. */
function describeGuard(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String(guard.type);
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    return `${guard.name}(${guard.guards.map(describeGuard).join(', ')})`;
  }
  return 'inline guard';
}

function guardName(transition: AnyTransitionDefinition): string | undefined {
  return transition.guard === undefined ? undefined : describeGuard(transition.guard);
}

export function edgeName(sourceId: string, eventType: string, targetId: string, guard?: string): string {
  return `${sourceId} --${eventType}${guard === undefined ? '' : ` [${guard}]`}--> ${targetId}`;
}

function transitionEdgeNames(transition: AnyTransitionDefinition): string[] {
  const source = transition.source;
  const targets = transition.target ?? [source];
  return targets.map((target) => edgeName(source.id, transition.eventType, target.id, guardName(transition)));
}

export function createEdgeCoverage(machine: AnyStateMachine): EdgeCoverage {
  const edges = collectEdges(toDirectedGraph(machine));
  const all = edges.map((edge) => edgeName(edge.source.id, edge.label.text, edge.target.id, guardName(edge.transition)));
  const duplicates = all.filter((name, i) => all.indexOf(name) !== i);
  if (duplicates.length > 0) throw new Error(`Edge names are not unique: ${duplicates.join(', ')}`);
  const visited = new Set<string>();
  return {
    all,
    visited,
    recorder: (sink) => (event) => {
      if (event.type !== '@xstate.microstep') return;
      for (const transition of event._transitions) {
        // The initial transition (`xstate.init`) is not an edge of the directed graph.
        if (transition.eventType === 'xstate.init') continue;
        for (const name of transitionEdgeNames(transition)) {
          visited.add(name);
          sink?.()?.push(name);
        }
      }
    },
    missing: () => all.filter((name) => !visited.has(name)),
  };
}
