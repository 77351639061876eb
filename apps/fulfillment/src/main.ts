import { main } from '@streamtune/pipeline-service';
import { fulfillment } from './service';

main(fulfillment);
