import { OPPORTUNITY_STAGES } from '../records.js';

/** The opportunity stages as react-admin choices. */
export const opportunityStageChoices = OPPORTUNITY_STAGES.map((stage) => ({ id: stage, name: stage }));
