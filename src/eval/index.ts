/** Evaluation metrics: topic quality (NPMI, diversity) and clustering agreement (NMI, ARI). */
export { npmiCoherence, npmiOfCounts } from './npmi.js';
export type { NpmiResult } from './npmi.js';
export { topicDiversity } from './diversity.js';
export { normalizedMutualInfo } from './nmi.js';
export { adjustedRandIndex } from './ari.js';
export { encodeLabelPairs } from './labelCodes.js';
export type { Label, LabelCodes } from './labelCodes.js';
export type { TopicWordList } from './topicWordsInput.js';
export { OUTLIER_TOPIC } from './topicWordsInput.js';
