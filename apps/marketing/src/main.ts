import { main } from '@streamtune/pipeline-service';
import { marketing } from './service';

main(marketing);
