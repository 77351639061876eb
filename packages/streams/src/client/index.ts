export { kafkajsClients } from './kafkajs/index';
export { RebalanceInProgressError } from './ports';
export type * from './ports';
