/** When a pipeline revision took effect, in business time. */
export interface RevisionEffect {
  readonly revision: number;
  readonly effectiveAt: string;
}

/** One stage as one revision of the pipeline defined it. */
export interface StageDefinition {
  readonly revision: number;
  readonly stageId: string;
  readonly name: string;
  readonly order: number;
  /** Percent, 0 to 100. */
  readonly winProbability: number;
}

export interface StageInForce extends StageDefinition {
  /** Not a stage of the revision in force: a later revision dropped it while deals still sat in it. */
  readonly retired: boolean;
}

/**
 * The revision in force at `at`: the one that took effect last at or before it. A revision
 * recorded later but backdated wins from its business time on; two taking effect at the same
 * instant resolve to the higher number, the one decided last. Null before the pipeline existed.
 */
export function revisionInForce(revisions: readonly RevisionEffect[], at: string): RevisionEffect | null {
  const instant = Date.parse(at);
  return revisions
    .filter((candidate) => Date.parse(candidate.effectiveAt) <= instant)
    .reduce<RevisionEffect | null>((best, candidate) => {
      if (!best) return candidate;
      const byTime = Date.parse(candidate.effectiveAt) - Date.parse(best.effectiveAt);
      return byTime > 0 || (byTime === 0 && candidate.revision > best.revision) ? candidate : best;
    }, null);
}

/** The stages a report uses under `revision`: its own in order, and any other stage a deal may still be in. */
export interface StagesInForce {
  readonly revision: number;
  /** The stages of the revision in force, in stage order. */
  readonly current: readonly StageInForce[];
  /** Any stage id of the pipeline, current or retired; undefined for one no revision ever had. */
  find(stageId: string): StageInForce | undefined;
}

/**
 * A retired stage keeps the definition of the last revision up to `revision` that had it
 * (its probability when deals were last moved into it); a stage only a later revision
 * introduced (a deal moved there with a backdated time) takes its first definition.
 */
export function stagesInForce(definitions: readonly StageDefinition[], revision: number): StagesInForce {
  const preference = (definition: StageDefinition) =>
    definition.revision <= revision ? revision - definition.revision : Number.MAX_SAFE_INTEGER / 2 + definition.revision;
  const chosen = new Map<string, StageDefinition>();
  for (const definition of definitions) {
    const known = chosen.get(definition.stageId);
    if (!known || preference(definition) < preference(known)) chosen.set(definition.stageId, definition);
  }
  const inForce = new Map(
    [...chosen.values()].map((definition) => [definition.stageId, { ...definition, retired: definition.revision !== revision }]),
  );
  return {
    revision,
    current: [...inForce.values()].filter((stage) => !stage.retired).sort(byStageOrder),
    find: (stageId) => inForce.get(stageId),
  };
}

export function byStageOrder(a: StageDefinition, b: StageDefinition): number {
  return a.order - b.order || a.stageId.localeCompare(b.stageId);
}
