import { main } from '@streamtune/pipeline-service';
import { checkout } from './service';

main(checkout);
