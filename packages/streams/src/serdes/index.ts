export { Serdes, SerializationError } from './serde';
export type { Serde, Serializer, Deserializer } from './serde';
