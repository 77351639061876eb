export { TimeWindows } from './time-windows';
export { SlidingWindows } from './sliding-windows';
export { SessionWindows } from './session-windows';
