/** Dialog ids, one place. */
export const ROOT_DIALOG = 'root';
export const ROOT_WATERFALL = 'root.waterfall';
export const SSO_PROMPT = 'ssoPrompt';
export const CREATE_REVIEW_DIALOG = 'createReview';
export const QUICK_CREATE_DIALOG = 'quickCreate';
export const FEATURE_DIALOG = 'command.feature';
